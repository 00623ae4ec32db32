package dev.alpharen.arhav.dns;

import dev.alpharen.arhav.dns.PacketAnswerer.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over UDP on one bound socket: one daemon thread, {@code dns-udp-<port>}, receives
 * each datagram, answers it through the {@link PacketAnswerer} and sends the answer back. A
 * packet that fails in any way is dropped and the thread goes on; only {@link #close} ends it.
 * Thread-safe.
 */
final class UdpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpListener.class);
  private static final int MAX_DATAGRAM = 65_535;

  private final DatagramSocket socket;
  private final PacketAnswerer answerer;
  private final int port;
  private final Thread thread;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** Starts serving on {@code socket}, which must be bound; closing the listener closes it. */
  UdpListener(DatagramSocket socket, PacketAnswerer answerer) {
    this.socket = socket;
    this.answerer = answerer;
    this.port = socket.getLocalPort();
    this.thread = new Thread(this::serve, "dns-udp-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private void serve() {
    byte[] buffer = new byte[MAX_DATAGRAM];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (!socket.isClosed()) {
          warnOnce("cannot receive", e);
          // Back off a little so a socket that keeps failing does not spin a core.
          sleepQuietly();
        }
        continue;
      }
      try {
        Optional<byte[]> answer = answerer.answer(packet.getData(), packet.getLength(),
            Transport.UDP, packet.getSocketAddress());
        if (answer.isPresent()) {
          byte[] out = answer.get();
          socket.send(new DatagramPacket(out, out.length, packet.getSocketAddress()));
        }
      } catch (IOException e) {
        // The client went away (ICMP port unreachable) or the socket closed: its own loss.
        log.debug("cannot send the DNS answer to {}: {}", packet.getSocketAddress(), e.toString());
      } catch (RuntimeException e) {
        warnOnce("failed on a packet from " + packet.getSocketAddress(), e);
      }
    }
  }

  private void warnOnce(String what, Exception e) {
    if (warned.compareAndSet(false, true)) {
      log.warn("DNS UDP listener on port {} {}; it keeps serving (logged once)",
          port, what, e);
    } else {
      log.debug("DNS UDP listener on port {} {}", port, what, e);
    }
  }

  private static void sleepQuietly() {
    try {
      TimeUnit.MILLISECONDS.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the socket and waits briefly for the thread to end; idempotent. */
  @Override
  public void close() {
    socket.close();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

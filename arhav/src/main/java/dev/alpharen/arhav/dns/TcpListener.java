package dev.alpharen.arhav.dns;

import dev.alpharen.arhav.dns.PacketAnswerer.Transport;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves DNS over TCP (RFC 7766) on one bound server socket: messages framed by a two-byte
 * length, any number of queries per connection, answered in order. A daemon thread
 * {@code dns-tcp-<port>} accepts; each connection runs on a daemon thread
 * {@code dns-tcp-<port>-<n>} of a small executor, at most {@link TcpLimits#maxConnections} at
 * once (further connections are closed at once). A connection is closed when idle past
 * {@link TcpLimits#idleTimeout}, when a length prefix exceeds {@link TcpLimits#maxMessageBytes},
 * when a message is no query, or when the client stops mid-message; the others go on. Thread-safe.
 */
final class TcpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

  private final ServerSocket server;
  private final PacketAnswerer answerer;
  private final TcpLimits limits;
  private final int port;
  private final Semaphore slots;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService connections;
  private final Thread acceptor;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** Starts serving on {@code server}, which must be bound; closing the listener closes it. */
  TcpListener(ServerSocket server, PacketAnswerer answerer, TcpLimits limits) {
    this.server = server;
    this.answerer = answerer;
    this.limits = limits;
    this.port = server.getLocalPort();
    this.slots = new Semaphore(limits.maxConnections());
    AtomicInteger count = new AtomicInteger();
    // The semaphore bounds the threads: a slot is taken before a task is submitted.
    this.connections = Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "dns-tcp-" + port + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.acceptor = new Thread(this::accept, "dns-tcp-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          warnOnce("cannot accept a connection", e);
          pause(); // e.g. out of file descriptors: do not spin a core meanwhile
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        log.debug("DNS TCP connection from {} closed: all {} connection slots are taken",
            socket.getRemoteSocketAddress(), limits.maxConnections());
        closeQuietly(socket);
        continue;
      }
      open.add(socket);
      try {
        connections.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) { // closing
        release(socket);
      }
    }
  }

  private void serve(Socket socket) {
    SocketAddress client = socket.getRemoteSocketAddress();
    try {
      socket.setSoTimeout((int) limits.idleTimeout().toMillis());
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      OutputStream out = socket.getOutputStream();
      while (true) {
        int length = in.readUnsignedShort();
        if (length > limits.maxMessageBytes()) {
          log.debug("DNS TCP client {} announced a {}-byte message (limit {}); closing", client,
              length, limits.maxMessageBytes());
          return;
        }
        byte[] message = new byte[length];
        in.readFully(message);
        Optional<byte[]> answer = answerer.answer(message, length, Transport.TCP, client);
        if (answer.isEmpty()) {
          return; // not a query: whatever follows on this stream cannot be trusted either
        }
        out.write(framed(answer.get()));
        out.flush();
      }
    } catch (EOFException e) {
      log.debug("DNS TCP client {} closed the connection", client);
    } catch (SocketTimeoutException e) {
      log.debug("DNS TCP client {} idle for {}; closing", client, limits.idleTimeout());
    } catch (IOException e) {
      log.debug("DNS TCP connection from {} failed: {}", client, e.toString());
    } catch (RuntimeException e) {
      warnOnce("failed on a connection from " + client, e);
    } finally {
      release(socket);
    }
  }

  private static byte[] framed(byte[] message) {
    byte[] framed = new byte[message.length + 2];
    framed[0] = (byte) (message.length >>> 8);
    framed[1] = (byte) message.length;
    System.arraycopy(message, 0, framed, 2, message.length);
    return framed;
  }

  private void release(Socket socket) {
    if (open.remove(socket)) {
      slots.release();
    }
    closeQuietly(socket);
  }

  private void warnOnce(String what, Exception e) {
    if (warned.compareAndSet(false, true)) {
      log.warn("DNS TCP listener on port {} {}; it keeps serving (logged once)", port, what, e);
    } else {
      log.debug("DNS TCP listener on port {} {}", port, what, e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway; nothing left to do with it
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops accepting, closes every open connection and waits briefly for the threads; idempotent. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      log.debug("closing the DNS TCP server socket on port {} failed: {}", port, e.toString());
    }
    boolean interrupted = false;
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(2)); // then no connection is added any more
    } catch (InterruptedException e) {
      interrupted = true;
    }
    open.forEach(TcpListener::closeQuietly); // unblocks their threads' reads
    connections.shutdownNow();
    try {
      connections.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}

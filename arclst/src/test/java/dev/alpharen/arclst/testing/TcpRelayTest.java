package dev.alpharen.arclst.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class TcpRelayTest {
  private static final Duration AWAIT = Duration.ofSeconds(2);
  private static final int READ_TIMEOUT_MS = 2_000;

  private final List<Socket> clients = new ArrayList<>();
  private EchoServer echo;
  private TcpRelay relay;

  @BeforeEach
  void startEchoAndRelay() throws IOException {
    echo = EchoServer.start();
    relay = TcpRelay.start(echo.address());
  }

  @AfterEach
  void closeEverything() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    relay.close();
    echo.close();
  }

  @Test
  void listensOnLoopbackAtTheRequestedPort() throws IOException {
    assertEquals("127.0.0.1", relay.address().getAddress().getHostAddress());
    assertEquals(relay.port(), relay.address().getPort());
    assertTrue(relay.port() > 0, "a free port was chosen");

    int requested = freePort();
    try (TcpRelay fixed = TcpRelay.start(requested, echo.address())) {
      assertEquals(requested, fixed.port());
      Socket socket = connect(fixed.address());
      assertEquals("fixed", roundTrip(socket, "fixed"));
    }
  }

  @Test
  void forwardsBytesBothWays() throws IOException {
    Socket socket = connect(relay.address());

    assertEquals("hello", roundTrip(socket, "hello"));
    assertEquals("again", roundTrip(socket, "again"));

    assertEquals(1, echo.accepted.get(), "the echo server saw the relayed connection");
    assertEquals(1, relay.openConnections());
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(20, relay.bytesForwarded(), "5+5 bytes each way"));
  }

  @Test
  void closingTheClientClosesTheRelayedConnection() throws IOException {
    Socket socket = connect(relay.address());
    assertEquals("bye", roundTrip(socket, "bye"));

    socket.close();

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(0, relay.openConnections()));
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(0, echo.open.size(), "upstream side closed too"));
  }

  @Test
  void delayAddsLatencyToRoundTrip() throws IOException {
    Socket socket = connect(relay.address());
    long baseline = roundTripMillis(socket);
    assertTrue(baseline < 100, "round trip without delay took " + baseline + "ms");

    relay.delay(Duration.ofMillis(50));

    long existing = roundTripMillis(socket);
    assertTrue(existing >= 100 && existing < 400, "round trip on the open connection took " + existing + "ms");
    long fresh = roundTripMillis(connect(relay.address()));
    assertTrue(fresh >= 100 && fresh < 400, "round trip on a new connection took " + fresh + "ms");
  }

  @Test
  void removingDelayRestoresSpeed() throws IOException {
    Socket socket = connect(relay.address());
    relay.delay(Duration.ofMillis(50));
    long delayed = roundTripMillis(socket);
    assertTrue(delayed >= 100, "round trip with delay took " + delayed + "ms");

    relay.delay(Duration.ZERO);

    long restored = roundTripMillis(socket);
    assertTrue(restored < 80, "round trip after removing the delay took " + restored + "ms");
  }

  @Test
  void delayKeepsOrderAndThroughput() {
    relay.delay(Duration.ofMillis(50));
    byte[] payload = new byte[2 * 1024 * 1024];
    new Random(42).nextBytes(payload);

    // 2 MiB is well over a hundred 16 KiB reads: sleeping 50ms per chunk instead of delaying it would take > 6s.
    byte[] echoed = assertTimeoutPreemptively(Duration.ofMillis(1_500), () -> {
      Socket socket = connect(relay.address());
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
        try {
          socket.getOutputStream().write(payload);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      byte[] back = socket.getInputStream().readNBytes(payload.length);
      sent.join();
      return back;
    });

    assertArrayEquals(payload, echoed, "every byte came back, in order");
  }

  @Test
  void cutResetsOpenConnectionsAndRefusesNewOnes() throws IOException {
    Socket socket = connect(relay.address());
    assertEquals("before", roundTrip(socket, "before"));

    relay.cut();

    assertClosedByPeer(socket);
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(0, relay.openConnections()));
    assertRefused(relay.address());
    assertEquals(1, echo.accepted.get(), "the refused connection never reached the target");
    assertEquals(0, relay.openConnections());
  }

  @Test
  void restoreAfterCutForwardsAgain() throws IOException {
    relay.cut();
    assertRefused(relay.address());

    relay.restore();

    Socket socket = connect(relay.address());
    assertEquals("back", roundTrip(socket, "back"));
    assertEquals(1, relay.openConnections());
  }

  @Test
  void restoreKeepsTheDelay() throws IOException {
    relay.delay(Duration.ofMillis(50));
    relay.cut();
    relay.restore();

    long rtt = roundTripMillis(connect(relay.address()));
    assertTrue(rtt >= 100, "round trip after restore took " + rtt + "ms");
  }

  @Test
  void blackholeHangsConnections() throws IOException {
    Socket open = connect(relay.address());
    assertEquals("ping", roundTrip(open, "ping"));

    relay.blackhole();

    assertHangs(open);
    Socket fresh = connect(relay.address());
    assertHangs(fresh);
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(2, relay.openConnections(), "both held open"));
    assertEquals(4, echo.received.get(), "only the bytes sent before the blackhole reached the target");
  }

  @Test
  void restoreAfterBlackholeDropsHeldDataAndClosesConnections() throws IOException {
    Socket open = connect(relay.address());
    assertEquals("ping", roundTrip(open, "ping"));
    relay.blackhole();
    send(open, "held");
    Socket fresh = connect(relay.address());
    send(fresh, "held");
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(2, relay.openConnections(), "both held"));

    relay.restore();

    assertClosedByPeer(open);
    assertClosedByPeer(fresh);
    Socket next = connect(relay.address());
    assertEquals("pong", roundTrip(next, "pong"));
    assertEquals(8, echo.received.get(), "the held bytes were dropped, not delivered late");
    assertEquals(1, relay.openConnections());
  }

  @Test
  void failedConnectToTargetClosesTheClient() throws IOException {
    try (TcpRelay nowhere = TcpRelay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), freePort()))) {
      Socket socket = connect(nowhere.address());
      assertClosedByPeer(socket);
      await().atMost(AWAIT).untilAsserted(() -> assertEquals(0, nowhere.openConnections()));
    }
  }

  @Test
  void closeStopsListening() throws IOException {
    Socket socket = connect(relay.address());
    assertEquals("last", roundTrip(socket, "last"));

    relay.close();

    assertThrows(ConnectException.class, () -> connect(relay.address()));
    assertClosedByPeer(socket);
    assertEquals(0, relay.openConnections());
    relay.close(); // idempotent
  }

  @Test
  void rejectsInvalidArgumentsStatingTheRule() {
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> relay.delay(Duration.ofMillis(-5)));
    assertEquals("delay must be >= 0, was -5ms", negative.getMessage());
    IllegalArgumentException huge =
        assertThrows(IllegalArgumentException.class, () -> relay.delay(Duration.ofDays(2)));
    assertEquals("delay must be <= 1h, was 172800000ms", huge.getMessage());
    NullPointerException noDelay = assertThrows(NullPointerException.class, () -> relay.delay(null));
    assertTrue(noDelay.getMessage().startsWith("delay must not be null"), noDelay.getMessage());

    IllegalArgumentException port =
        assertThrows(IllegalArgumentException.class, () -> TcpRelay.start(-1, echo.address()));
    assertEquals("listenPort must be in 0..65535 (0 = free port), was -1", port.getMessage());
    IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
        () -> TcpRelay.start(new InetSocketAddress("192.0.2.1", 5701)));
    assertTrue(remote.getMessage().startsWith("target must be a resolved loopback address, was "),
        remote.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TcpRelay.start(InetSocketAddress.createUnresolved("localhost", 5701)));
    NullPointerException noTarget = assertThrows(NullPointerException.class, () -> TcpRelay.start(null));
    assertEquals("target must not be null", noTarget.getMessage());
  }

  private Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.connect(address, READ_TIMEOUT_MS);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(US_ASCII));
    out.flush();
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    send(socket, text);
    byte[] back = socket.getInputStream().readNBytes(text.length());
    return new String(back, US_ASCII);
  }

  private static long roundTripMillis(Socket socket) throws IOException {
    long start = System.nanoTime();
    assertEquals("rtt", roundTrip(socket, "rtt"));
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /** The peer ended the connection: end of stream or a reset, and certainly not a read timeout. */
  private static void assertClosedByPeer(Socket socket) throws IOException {
    try {
      assertEquals(-1, socket.getInputStream().read(), "expected end of stream");
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open: the read timed out", e);
    } catch (SocketException expected) {
      // connection reset
    }
  }

  /** A new connection is accepted, then reset or ended without echoing anything. */
  private void assertRefused(InetSocketAddress address) throws IOException {
    Socket socket;
    try {
      socket = connect(address);
      send(socket, "hello?");
    } catch (SocketException expected) {
      return; // reset while connecting or sending
    }
    assertClosedByPeer(socket);
  }

  /** The connection stays open but nothing comes back: a short read times out. */
  private static void assertHangs(Socket socket) throws IOException {
    send(socket, "anyone?");
    socket.setSoTimeout(300);
    InputStream in = socket.getInputStream();
    assertThrows(SocketTimeoutException.class, in::read);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Echoes every byte back on 127.0.0.1, a thread per connection; counts what it accepts and receives. */
  private static final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private EchoServer(ServerSocket server) {
      this.server = server;
    }

    static EchoServer start() throws IOException {
      EchoServer echo = new EchoServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      Thread acceptor = new Thread(echo::acceptLoop, "echo-accept");
      acceptor.setDaemon(true);
      acceptor.start();
      return echo;
    }

    InetSocketAddress address() {
      return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
      while (true) {
        Socket socket;
        try {
          socket = server.accept();
        } catch (IOException e) {
          return;
        }
        accepted.incrementAndGet();
        open.add(socket);
        Thread worker = new Thread(() -> serve(socket), "echo-" + socket.getPort());
        worker.setDaemon(true);
        worker.start();
      }
    }

    private void serve(Socket socket) {
      byte[] buf = new byte[8192];
      try (socket) {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          received.addAndGet(n);
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        // peer reset: the relay does that on purpose
      } finally {
        open.remove(socket);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : open) {
        socket.close();
      }
    }
  }
}

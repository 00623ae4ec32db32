package dev.alpharen.arclst.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loopback TCP relay that forwards every accepted connection to a target, so cluster tests can put WAN
 * latency ({@link #delay}) and network partitions ({@link #cut}, {@link #blackhole}) between two nodes on
 * one machine.
 *
 * <p>Thread-safe: every method may be called from any thread at any time; forwarding runs on daemon
 * threads named {@code tcp-relay-<port>-...}.
 */
public final class TcpRelay implements AutoCloseable {
  private static final InetAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0).getAddress();
  private static final int CHUNK_BYTES = 16 * 1024;
  private static final int QUEUED_CHUNKS = 1024;
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final Duration MAX_DELAY = Duration.ofHours(1);

  private enum Mode { FORWARD, CUT, BLACKHOLE }

  /** Bytes read from one side at {@code readAtNanos}; an empty array marks the end of the stream. */
  private record Chunk(long readAtNanos, byte[] data) { }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final int port;
  private final Thread acceptor;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicLong bytesForwarded = new AtomicLong();
  private final AtomicLong connectionIds = new AtomicLong();
  private volatile long delayNanos;
  private Mode mode = Mode.FORWARD; // guarded by lock
  private boolean closed; // guarded by lock

  private TcpRelay(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
    this.port = server.getLocalPort();
    this.acceptor = new Thread(this::acceptLoop, "tcp-relay-" + port + "-accept");
    acceptor.setDaemon(true);
  }

  /** Starts a relay to {@code target} listening on 127.0.0.1 on a free port. */
  public static TcpRelay start(InetSocketAddress target) {
    return start(0, target);
  }

  /** Starts a relay to {@code target} listening on 127.0.0.1:{@code listenPort} (0 = a free port). */
  public static TcpRelay start(int listenPort, InetSocketAddress target) {
    if (listenPort < 0 || listenPort > 65_535) {
      throw new IllegalArgumentException("listenPort must be in 0..65535 (0 = free port), was " + listenPort);
    }
    Objects.requireNonNull(target, "target must not be null");
    if (target.getAddress() == null || !target.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("target must be a resolved loopback address, was " + target);
    }
    ServerSocket server = null;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(LOOPBACK, listenPort), 128);
    } catch (IOException e) {
      close(server, false);
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + listenPort, e);
    }
    TcpRelay relay = new TcpRelay(server, target);
    relay.acceptor.start();
    return relay;
  }

  /** The local listening port. */
  public int port() {
    return port;
  }

  /** The listening address, 127.0.0.1:{@link #port()}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(LOOPBACK, port);
  }

  /**
   * Delays each direction's bytes by {@code oneWay} (so the round trip grows by twice that) on open and
   * new connections, keeping order and throughput; {@link Duration#ZERO} removes the delay.
   */
  public void delay(Duration oneWay) {
    Objects.requireNonNull(oneWay, "delay must not be null (use Duration.ZERO for none)");
    if (oneWay.isNegative() || oneWay.compareTo(MAX_DELAY) > 0) {
      String rule = oneWay.isNegative() ? "delay must be >= 0" : "delay must be <= 1h";
      String was = oneWay.getNano() % 1_000_000 == 0 ? oneWay.toMillis() + "ms" : oneWay.toString();
      throw new IllegalArgumentException(rule + ", was " + was);
    }
    delayNanos = oneWay.toNanos();
    withLock(changed::signalAll);
  }

  /** Refused partition: resets all open connections and, until {@link #restore()}, resets new ones. */
  public void cut() {
    withLock(() -> {
      mode = Mode.CUT;
      List.copyOf(connections).forEach(c -> c.close(true));
    });
  }

  /** Silent partition: open and new connections stay open but nothing passes in either direction. */
  public void blackhole() {
    withLock(() -> {
      mode = Mode.BLACKHOLE;
      connections.forEach(c -> c.blackholed = true);
    });
  }

  /**
   * Ends a partition, keeping the delay: new connections forward again; blackholed connections are reset
   * and the data they held back is dropped, so peers reconnect.
   */
  public void restore() {
    withLock(() -> {
      mode = Mode.FORWARD;
      List.copyOf(connections).stream().filter(c -> c.blackholed).forEach(c -> c.close(true));
    });
  }

  /** The number of relayed connections currently open. */
  public int openConnections() {
    return connections.size();
  }

  /** Total bytes forwarded, both directions. */
  public long bytesForwarded() {
    return bytesForwarded.get();
  }

  /** Stops listening and resets every connection; when this returns the port refuses connections. Idempotent. */
  @Override
  public void close() {
    withLock(() -> {
      closed = true;
      close(server, false);
      List.copyOf(connections).forEach(c -> c.close(true));
    });
    try {
      // A thread blocked in accept() keeps the listening socket alive until it notices the close.
      acceptor.join(CONNECT_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        withLock(() -> {
          if (closed || mode == Mode.CUT) {
            close(client, true);
            return;
          }
          Connection conn = new Connection(client, connectionIds.incrementAndGet(), mode == Mode.BLACKHOLE);
          connections.add(conn);
          conn.start();
        });
      } catch (IOException e) {
        // closed, or a failed accept: the loop condition decides
      }
    }
  }

  /** Waits until {@code chunk} is due; false if the connection closed first. Blackholed, it waits on. */
  private boolean awaitDue(Connection conn, Chunk chunk) throws InterruptedException {
    lock.lock();
    try {
      while (!conn.closed.get()) {
        long wait = conn.blackholed ? Long.MAX_VALUE : chunk.readAtNanos() + delayNanos - System.nanoTime();
        if (wait <= 0) {
          return true;
        }
        changed.awaitNanos(wait);
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void withLock(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** One relayed connection: the client socket, the upstream socket, a reader and a writer per direction. */
  private final class Connection {
    private final Socket client;
    private final long id;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger directionsEnded = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile Socket upstream;
    private volatile boolean blackholed;

    Connection(Socket client, long id, boolean blackholed) {
      this.client = client;
      this.id = id;
      this.blackholed = blackholed;
    }

    void start() {
      // Accepted during a blackhole the target "is gone": never reach it, just swallow the client's bytes.
      spawn(blackholed ? "drain" : "connect", blackholed ? () -> read(client, null) : this::connect);
    }

    private void connect() {
      Socket up = new Socket();
      upstream = up;
      try {
        if (closed.get()) {
          throw new IOException("closed while connecting");
        }
        up.connect(target, CONNECT_TIMEOUT_MS);
        up.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
      } catch (IOException e) {
        close(true);
        TcpRelay.close(up, true); // close() may have run before upstream was set
        return;
      }
      pump("c2t", client, up);
      pump("t2c", up, client);
    }

    private void pump(String direction, Socket from, Socket to) {
      BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
      spawn(direction + "-read", () -> read(from, queue));
      spawn(direction + "-write", () -> write(queue, to));
    }

    /** Reads {@code from} into {@code queue} (null: discards), stamping each chunk with its read time. */
    private void read(Socket from, BlockingQueue<Chunk> queue) {
      byte[] buf = new byte[CHUNK_BYTES];
      try {
        InputStream in = from.getInputStream();
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          if (queue != null && !blackholed) {
            queue.put(new Chunk(System.nanoTime(), Arrays.copyOf(buf, n)));
          }
        }
        if (queue != null && !blackholed) {
          queue.put(new Chunk(System.nanoTime(), new byte[0]));
        }
      } catch (IOException | InterruptedException e) {
        if (!blackholed) { // a blackhole passes no reset on either; restore() or close() cleans up
          close(true);
        }
      }
    }

    /** Writes each chunk to {@code to} in order once its delay has passed; passes the end of stream on. */
    private void write(BlockingQueue<Chunk> queue, Socket to) {
      try {
        OutputStream out = to.getOutputStream();
        for (Chunk chunk = queue.take(); awaitDue(this, chunk); chunk = queue.take()) {
          if (chunk.data().length == 0) {
            to.shutdownOutput();
            if (directionsEnded.incrementAndGet() == 2) {
              close(false);
            }
            return;
          }
          out.write(chunk.data());
          bytesForwarded.addAndGet(chunk.data().length);
        }
      } catch (IOException | InterruptedException e) {
        close(true);
      }
    }

    private void spawn(String role, Runnable task) {
      Thread thread = new Thread(task, "tcp-relay-" + port + "-c" + id + "-" + role);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
      if (closed.get()) {
        thread.interrupt();
      }
    }

    void close(boolean rst) {
      if (closed.compareAndSet(false, true)) {
        connections.remove(this);
        TcpRelay.close(client, rst);
        TcpRelay.close(upstream, rst);
        threads.stream().filter(t -> t != Thread.currentThread()).forEach(Thread::interrupt);
        withLock(changed::signalAll);
      }
    }
  }

  /** Closes quietly; with {@code rst}, SO_LINGER 0 makes the peer see a reset instead of an end of stream. */
  private static void close(AutoCloseable closeable, boolean rst) {
    try {
      if (rst && closeable instanceof Socket socket) {
        socket.setSoLinger(true, 0); // throws only if already closed
      }
      if (closeable != null) {
        closeable.close();
      }
    } catch (Exception e) {
      // nothing to do: the relay is tearing this down anyway
    }
  }
}

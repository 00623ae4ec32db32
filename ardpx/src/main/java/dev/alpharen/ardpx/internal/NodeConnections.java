package dev.alpharen.ardpx.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The idle keep-alive connections of {@link NodeRelay} to one node, kept per I/O thread: a
 * connection is opened on, used by and given back to the I/O thread of the requests it carries,
 * so it needs no lock and its socket's events stay on one thread. Each connection's reads stay
 * armed all its life (no interest change per request); an idle one that turns readable was
 * closed by its node, or sent what nobody asked for, and is closed and forgotten. At most
 * {@link #MAX_IDLE} idle connections per thread; more are closed on their way back. Thread-safe.
 */
final class NodeConnections {
  static final int MAX_IDLE = 32;
  /** Node sockets send each request at once: a proxy's writes are whole requests. */
  private static final OptionMap NODE_SOCKET = OptionMap.create(Options.TCP_NODELAY, true);
  private static final int MAX_THREADS = 256;

  private final AtomicReferenceArray<Idle> idle = new AtomicReferenceArray<>(MAX_THREADS);
  private volatile boolean closed;

  /** What a connection reports to the request it carries. */
  interface Reader {
    /** The node's socket is readable (or at its end). */
    void nodeReadable();
  }

  /** One keep-alive connection to the node. Used by its I/O thread only. */
  final class Connection implements ChannelListener<ConduitStreamSourceChannel> {
    final StreamConnection stream;
    final XnioIoThread thread;
    private Reader reader;
    private boolean open = true;

    Connection(StreamConnection stream) {
      this.stream = stream;
      this.thread = stream.getIoThread();
      stream.getSourceChannel().setReadListener(this);
      stream.getSourceChannel().resumeReads();
    }

    /** Binds the connection to the request that sends on it now. */
    void carry(Reader next) {
      reader = next;
    }

    /** The request is done with the connection, which may carry the next one. */
    void release() {
      reader = null;
      give(this);
    }

    void close() {
      open = false;
      reader = null;
      IoUtils.safeClose(stream);
    }

    @Override
    public void handleEvent(ConduitStreamSourceChannel channel) {
      if (reader != null) {
        reader.nodeReadable();
      } else {
        forget(this); // an idle connection turned readable: its node closed it
      }
    }
  }

  /** An idle connection of {@code thread}'s, or null when it has none. */
  Connection take(XnioIoThread thread) {
    Idle mine = thread.getNumber() < MAX_THREADS ? idle.get(thread.getNumber()) : null;
    return mine == null ? null : mine.connections.pollLast();
  }

  /**
   * Opens a connection to the node on {@code thread}, then calls {@code opened} or
   * {@code failed} on that thread.
   */
  void open(XnioIoThread thread, InetSocketAddress address, Consumer<Connection> opened,
      Runnable failed) {
    IoFuture<StreamConnection> opening = thread.openStreamConnection(address,
        stream -> opened.accept(new Connection(stream)), NODE_SOCKET);
    opening.addNotifier((future, ignored) -> {
      if (future.getStatus() == IoFuture.Status.FAILED) {
        if (Thread.currentThread() == thread) {
          failed.run();
        } else {
          thread.execute(failed);
        }
      }
    }, null);
  }

  /** Closes every idle connection (each on its own thread) and any given back later. */
  void close() {
    closed = true;
    for (int i = 0; i < MAX_THREADS; i++) {
      Idle mine = idle.get(i);
      if (mine != null) {
        mine.thread.execute(mine::closeAll);
      }
    }
  }

  private void give(Connection c) {
    int number = c.thread.getNumber();
    if (closed || !c.open || number >= MAX_THREADS) {
      c.close();
      return;
    }
    Idle mine = idle.get(number);
    if (mine == null) {
      idle.compareAndSet(number, null, new Idle(c.thread));
      mine = idle.get(number);
    }
    if (mine.connections.size() >= MAX_IDLE) {
      c.close();
    } else {
      mine.connections.addLast(c);
    }
  }

  private void forget(Connection c) {
    int number = c.thread.getNumber();
    Idle mine = number < MAX_THREADS ? idle.get(number) : null;
    if (mine != null) {
      mine.connections.remove(c);
    }
    c.close();
  }

  /** One I/O thread's idle connections, touched by that thread only. */
  private static final class Idle {
    final XnioIoThread thread;
    final ArrayDeque<Connection> connections = new ArrayDeque<>();

    Idle(XnioIoThread thread) {
      this.thread = thread;
    }

    void closeAll() {
      Connection c;
      while ((c = connections.pollLast()) != null) {
        c.close();
      }
    }
  }
}

package dev.alpharen.ardpx.internal;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;

/**
 * The buffer one relayed answer is read into, from the node's first bytes until it is written
 * on: the I/O thread's own buffer when it is free (mostly, for an answer mostly goes through
 * within one event), else one from Undertow's pool (whose every use takes a lock); for a head
 * larger than either, a heap buffer of up to {@link #MAX_HEAD}. Used by one relay at a time.
 */
final class RelayBuffer {
  static final int MAX_HEAD = 64 * 1024;
  private static final int MIN_HEAD = 16 * 1024;
  private static final ThreadLocal<ByteBuffer[]> OWN =
      ThreadLocal.withInitial(() -> new ByteBuffer[] {ByteBuffer.allocateDirect(16 * 1024)});

  private final HttpServerExchange exchange;
  private PooledByteBuffer pooled;
  /** The thread's own buffer's slot, when {@link #buf} is that buffer. */
  private ByteBuffer[] lentFrom;
  private ByteBuffer buf;

  RelayBuffer(HttpServerExchange exchange) {
    this.exchange = exchange;
  }

  /** The buffer, taken on first use. */
  ByteBuffer get() {
    if (buf == null) {
      ByteBuffer[] slot = OWN.get();
      if (slot[0] != null) {
        buf = slot[0];
        slot[0] = null;
        lentFrom = slot;
      } else {
        pooled = exchange.getConnection().getByteBufferPool().allocate();
        buf = pooled.getBuffer();
      }
    }
    return buf;
  }

  /** A larger buffer, with what was read so far; false when it is at its largest. */
  boolean grow() {
    if (buf.capacity() >= MAX_HEAD) {
      return false;
    }
    ByteBuffer larger = ByteBuffer.allocate(Math.min(MAX_HEAD, Math.max(MIN_HEAD,
        buf.capacity() * 4)));
    larger.put(buf.flip());
    release();
    buf = larger;
    return true;
  }

  /** Gives the buffer back; the next {@link #get()} takes one again. */
  void release() {
    if (lentFrom != null) {
      lentFrom[0] = buf.clear();
      lentFrom = null;
    } else if (pooled != null) {
      pooled.close();
      pooled = null;
    }
    buf = null;
  }
}

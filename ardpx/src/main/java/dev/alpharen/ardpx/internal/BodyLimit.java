package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Counts the bytes of a request body whose size was not declared (chunked) as the proxy reads it,
 * and fails the read once they pass the limit, marking the exchange {@link #EXCEEDED} so that the
 * answer becomes 413 rather than the proxy's 500 for a broken body. Used by one exchange's I/O
 * thread only.
 */
final class BodyLimit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  /** Set on an exchange whose body passed the limit. */
  static final AttachmentKey<Long> EXCEEDED = AttachmentKey.create(Long.class);

  private final HttpServerExchange exchange;
  private final long maxBytes;
  private long read;

  BodyLimit(StreamSourceConduit next, HttpServerExchange exchange, long maxBytes) {
    super(next);
    this.exchange = exchange;
    this.maxBytes = maxBytes;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return (int) count(next.read(dst));
  }

  @Override
  public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    return count(next.read(dsts, offs, len));
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
      throws IOException {
    return Conduits.transfer(this, count, throughBuffer, target);
  }

  private long count(long n) throws IOException {
    if (n > 0) {
      read += n;
      if (read > maxBytes) {
        exchange.putAttachment(EXCEEDED, maxBytes);
        throw new IOException("request body is over " + maxBytes + " bytes");
      }
    }
    return n;
  }
}

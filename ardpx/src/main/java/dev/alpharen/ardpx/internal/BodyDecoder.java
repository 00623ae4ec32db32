package dev.alpharen.ardpx.internal;

import java.nio.ByteBuffer;

/**
 * Reads a node's answer body as it arrives, in place: given the bytes of one read, it leaves only
 * the payload, at their start, and says when the body ended and whether bytes followed it (which
 * a node must not send; its connection is then not reused). A chunked body loses its framing,
 * chunk extensions and trailers (the proxy frames it anew for its client). Used by one relay at
 * a time.
 */
final class BodyDecoder {
  private static final int SIZE = 0;
  private static final int EXTENSION = 1;
  private static final int SIZE_LF = 2;
  private static final int DATA = 3;
  private static final int DATA_CR = 4;
  private static final int DATA_LF = 5;
  private static final int TRAILER_START = 6;
  private static final int TRAILER = 7;
  private static final int TRAILER_LF = 8;
  private static final int END_LF = 9;

  private ResponseHead.Framing framing;
  private long remaining;
  private int state;
  private boolean sizeDigits;
  private boolean done;
  private boolean excess;

  /** Starts a body framed as {@code framing} ({@code length} for {@code LENGTH}). */
  void start(ResponseHead.Framing framing, long length) {
    this.framing = framing;
    this.remaining = framing == ResponseHead.Framing.LENGTH ? length : 0;
    this.state = SIZE;
    this.sizeDigits = false;
    this.done = framing == ResponseHead.Framing.NONE
        || (framing == ResponseHead.Framing.LENGTH && length == 0);
    this.excess = false;
  }

  /** Whether the whole body has been read. */
  boolean done() {
    return done;
  }

  /**
   * The node closed the connection: that ends a body framed by the connection's end (which is
   * then done); for any other framing the body broke off.
   *
   * @return whether the body is complete
   */
  boolean end() {
    if (framing == ResponseHead.Framing.CLOSE) {
      done = true;
    }
    return done;
  }

  /** Whether the node sent bytes after the end of the body. */
  boolean excess() {
    return excess;
  }

  /**
   * Decodes {@code buf[from, to)} in place.
   *
   * @return the end of the payload, which now starts at {@code from}
   * @throws ResponseHead.Malformed when a chunked body's framing is broken
   */
  int decode(ByteBuffer buf, int from, int to) throws ResponseHead.Malformed {
    if (done) {
      excess |= from < to;
      return from;
    }
    switch (framing) {
      case LENGTH -> {
        long take = Math.min(remaining, to - from);
        remaining -= take;
        done = remaining == 0;
        excess = done && from + take < to;
        return from + (int) take;
      }
      case CLOSE -> {
        return to;
      }
      case CHUNKED -> {
        return chunked(buf, from, to);
      }
      default -> {
        excess = from < to;
        return from;
      }
    }
  }

  private int chunked(ByteBuffer buf, int from, int to) throws ResponseHead.Malformed {
    int write = from;
    int read = from;
    while (read < to && !done) {
      if (state == DATA) {
        int take = (int) Math.min(remaining, to - read);
        if (write != read) {
          for (int i = 0; i < take; i++) {
            buf.put(write + i, buf.get(read + i));
          }
        }
        write += take;
        read += take;
        remaining -= take;
        if (remaining == 0) {
          state = DATA_CR;
        }
        continue;
      }
      byte b = buf.get(read++);
      switch (state) {
        case SIZE -> size(b);
        case EXTENSION -> {
          if (b == '\r') {
            state = SIZE_LF;
          } else if (b == '\n') {
            endOfSize();
          }
        }
        case SIZE_LF -> {
          expect(b, '\n', "after a chunk size");
          endOfSize();
        }
        case DATA_CR -> {
          if (b == '\n') {
            state = SIZE;
          } else {
            expect(b, '\r', "after a chunk");
            state = DATA_LF;
          }
        }
        case DATA_LF -> {
          expect(b, '\n', "after a chunk");
          state = SIZE;
        }
        case TRAILER_START -> {
          if (b == '\r') {
            state = END_LF;
          } else if (b == '\n') {
            done = true;
          } else {
            state = TRAILER;
          }
        }
        case TRAILER -> {
          if (b == '\r') {
            state = TRAILER_LF;
          } else if (b == '\n') {
            state = TRAILER_START;
          }
        }
        case TRAILER_LF -> {
          expect(b, '\n', "after a trailer");
          state = TRAILER_START;
        }
        case END_LF -> {
          expect(b, '\n', "at the end of a chunked body");
          done = true;
        }
        default -> throw new IllegalStateException("chunk state " + state);
      }
    }
    excess = done && read < to;
    return write;
  }

  private void size(byte b) throws ResponseHead.Malformed {
    int digit = Character.digit(b, 16);
    if (digit >= 0) {
      if (remaining > (Long.MAX_VALUE >> 4)) {
        throw new ResponseHead.Malformed("the node sent a chunk size too large to read");
      }
      remaining = remaining * 16 + digit;
      sizeDigits = true;
    } else if (b == ';' || b == ' ' || b == '\t') {
      state = EXTENSION;
    } else if (b == '\r') {
      state = SIZE_LF;
    } else if (b == '\n') {
      endOfSize();
    } else {
      throw new ResponseHead.Malformed("the node sent a chunk size that is not hexadecimal");
    }
  }

  private void endOfSize() throws ResponseHead.Malformed {
    if (!sizeDigits) {
      throw new ResponseHead.Malformed("the node sent a chunk without a size");
    }
    sizeDigits = false;
    state = remaining == 0 ? TRAILER_START : DATA;
  }

  private static void expect(byte b, char wanted, String where) throws ResponseHead.Malformed {
    if (b != wanted) {
      throw new ResponseHead.Malformed("the node's chunked body lacks its line end " + where);
    }
  }
}

package dev.alpharen.ardpx.internal;

import dev.alpharen.ardpx.internal.AnswerHeaders.Kind;
import dev.alpharen.ardpx.internal.AnswerHeaders.Known;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One I/O thread's copy of the answer head it parsed last ({@link ResponseHead}), with the
 * header lines to pass on (and the Content-Length line): per line where it starts, its colon,
 * where its value starts and ends, and where it ends before its CR LF, in the order the node
 * sent them. They go on either into the client's header map or, as they came, in front of the
 * body. Valid until the thread's next parse; used by its thread only.
 */
final class HeadLines {
  private static final ThreadLocal<HeadLines> MINE = ThreadLocal.withInitial(HeadLines::new);
  private static final byte[] CLIENT_STATUS = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n"
      .getBytes(StandardCharsets.ISO_8859_1);

  /** The head's bytes, from the status line on. */
  byte[] bytes = new byte[1024];
  private int[] lines = new int[16 * 5];
  private Known[] names = new Known[16];
  private int kept;
  private int statusLineEnd;

  /** The calling I/O thread's. */
  static HeadLines mine() {
    return MINE.get();
  }

  /** Starts on a new head in {@link #bytes}, whose status line ends at {@code statusLineEnd}. */
  void reset(int statusLineEnd) {
    this.statusLineEnd = statusLineEnd;
    kept = 0;
  }

  /** Notes a header line that is passed on (or the Content-Length line). */
  void note(Known known, int lineStart, int colon, int valueStart, int valueEnd, int lineEnd) {
    if (kept == names.length) {
      names = Arrays.copyOf(names, kept * 2);
      lines = Arrays.copyOf(lines, kept * 2 * 5);
    }
    names[kept] = known;
    int i = kept * 5;
    lines[i] = lineStart;
    lines[i + 1] = colon;
    lines[i + 2] = valueStart;
    lines[i + 3] = valueEnd;
    lines[i + 4] = lineEnd;
    kept++;
  }

  /** Adds the noted headers but Content-Length (the proxy frames anew) to {@code headers}. */
  void passTo(HeaderMap headers) {
    for (int k = 0; k < kept; k++) {
      Known known = names[k];
      if (known != null && known.kind() == Kind.CONTENT_LENGTH) {
        continue;
      }
      int i = k * 5;
      headers.add(known == null ? new HttpString(bytes, lines[i], lines[i + 1] - lines[i])
          : known.name(), new String(bytes, lines[i + 2], lines[i + 3] - lines[i + 2],
          StandardCharsets.ISO_8859_1));
    }
  }

  /**
   * Writes the client's head into {@code buf}, ending just before {@code end}: HTTP/1.1, the
   * node's status and reason, the noted lines as the node sent them, and
   * {@code Connection: keep-alive}.
   *
   * @return where the head starts in {@code buf}, or -1 when it does not fit before {@code end}
   */
  int writeTo(ByteBuffer buf, int end) {
    // the status and its reason, with the space before the reason even when there is none
    int codeAndReason = Math.max(statusLineEnd - 9, 4);
    int size = CLIENT_STATUS.length + codeAndReason + 2 + KEEP_ALIVE.length + 2;
    for (int k = 0; k < kept; k++) {
      int i = k * 5;
      size += lines[i + 4] - lines[i] + 2;
    }
    if (size > end) {
      return -1;
    }
    int start = end - size;
    int at = start;
    buf.put(at, CLIENT_STATUS);
    at += CLIENT_STATUS.length;
    buf.put(at, bytes, 9, statusLineEnd - 9);
    if (statusLineEnd - 9 < codeAndReason) {
      buf.put(at + 3, (byte) ' ');
    }
    at = crlf(buf, at + codeAndReason);
    for (int k = 0; k < kept; k++) {
      int i = k * 5;
      int length = lines[i + 4] - lines[i];
      buf.put(at, bytes, lines[i], length);
      at = crlf(buf, at + length);
    }
    buf.put(at, KEEP_ALIVE);
    crlf(buf, at + KEEP_ALIVE.length);
    return start;
  }

  private static int crlf(ByteBuffer buf, int at) {
    buf.put(at, (byte) '\r');
    buf.put(at + 1, (byte) '\n');
    return at + 2;
  }
}

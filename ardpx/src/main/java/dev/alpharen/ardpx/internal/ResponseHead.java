package dev.alpharen.ardpx.internal;

import dev.alpharen.ardpx.internal.AnswerHeaders.Kind;
import dev.alpharen.ardpx.internal.AnswerHeaders.Known;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The status line and headers of a node's HTTP/1.x answer, parsed from the bytes the relay read,
 * and how its body is framed (RFC 9112 section 6.3): none (HEAD, 1xx, 204, 304), a
 * Content-Length, chunked, or up to the end of the connection. The headers kept are the
 * end-to-end ones: hop-by-hop headers (Connection and what it names, Keep-Alive, Proxy-*, TE,
 * Trailer, Upgrade) and the framing headers are left out, for the proxy frames the answer anew
 * for its client. Used by one relay at a time.
 */
final class ResponseHead {
  /** How the body is delimited. */
  enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

  private static final byte[] HTTP_11 = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] HTTP_10 = "HTTP/1.0 ".getBytes(StandardCharsets.ISO_8859_1);

  private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n"
      .getBytes(StandardCharsets.ISO_8859_1);


  private final HeaderMap headers;
  /** The head parsed last, in its thread's copy until the thread's next parse. */
  private HeadLines lines;
  /** Headers named in the node's Connection header, to be left out too, or null. */
  private List<String> connectionNamed;
  private boolean dated;
  int status;
  Framing framing;
  long contentLength;
  /** The node's Content-Length as it sent it, or null (a HEAD answer passes it on). */
  String lengthValue;
  /** Whether the node keeps the connection open for another request after this answer. */
  boolean reusable;

  /** @param headers where the end-to-end headers go: the client's response headers */
  ResponseHead(HeaderMap headers) {
    this.headers = headers;
  }

  /** A node's answer that cannot be read as HTTP/1.x; the relay answers 502. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses the head in {@code buf[from, to)}. The bytes are copied into the thread's scratch
   * array, a kilobyte first, then as much again as was copied until the head's end is among
   * them, and read from there: indexing a direct buffer byte by byte costs more than the copy.
   * The end-to-end headers are noted, not yet added anywhere: {@link #passHeaders()} adds them
   * to the client's response headers, {@link #writeHead} writes them out as they came.
   *
   * @param headRequest whether the request was HEAD, whose answer has no body
   * @return the index just past the head's blank line, or -1 when the head is not complete yet
   * @throws Malformed when the bytes are not an HTTP/1.x response head
   */
  int parse(ByteBuffer buf, int from, int to, boolean headRequest) throws Malformed {
    int available = to - from;
    HeadLines mine = HeadLines.mine();
    byte[] a = mine.bytes;
    int copied = 0;
    int n = -1;
    while (n < 0 && copied < available) {
      int chunk = Math.min(available - copied, Math.max(1024, copied));
      if (a.length < copied + chunk) {
        a = Arrays.copyOf(a, Math.max(copied + chunk, a.length * 2));
        mine.bytes = a;
      }
      buf.get(from + copied, a, copied, chunk);
      int scanFrom = Math.max(0, copied - 2);
      copied += chunk;
      n = headEnd(a, scanFrom, copied);
    }
    if (n < 0) {
      return -1;
    }
    int end = from + n;
    lines = mine;
    dated = false;
    connectionNamed = null;
    int lineEnd = lineEnd(a, 0, n);
    statusLine(a, lineEnd);
    mine.reset(lineEnd);
    String connection = null;
    String transferEncoding = null;
    String length = null;
    int lineStart = next(a, lineEnd);
    while (lineStart < n) {
      lineEnd = lineEnd(a, lineStart, n);
      if (lineEnd == lineStart) {
        break; // the blank line
      }
      int colon = lineStart;
      boolean blankInName = false;
      while (colon < lineEnd && a[colon] != ':') {
        blankInName |= isBlank(a[colon]);
        colon++;
      }
      if (colon == lineStart || colon == lineEnd || isBlank(a[lineStart])) {
        throw new Malformed("the node sent a header line without a name: '"
            + cut(text(a, lineStart, lineEnd)) + "'");
      }
      if (blankInName) {
        throw new Malformed("the node sent a header name with white space: '"
            + cut(text(a, lineStart, colon)) + "'");
      }
      int valueStart = colon + 1;
      int valueEnd = lineEnd;
      while (valueStart < valueEnd && isBlank(a[valueStart])) {
        valueStart++;
      }
      while (valueEnd > valueStart && isBlank(a[valueEnd - 1])) {
        valueEnd--;
      }
      Known known = AnswerHeaders.find(a, lineStart, colon);
      Kind kind = known == null ? Kind.PASSED : known.kind();
      if (kind == Kind.PASSED) {
        mine.note(known, lineStart, colon, valueStart, valueEnd, lineEnd);
        dated |= known != null && known.name() == Headers.DATE;
      } else if (kind == Kind.CONNECTION) {
        String value = text(a, valueStart, valueEnd);
        connection = connection == null ? value : connection + "," + value;
      } else if (kind == Kind.TRANSFER_ENCODING) {
        String value = text(a, valueStart, valueEnd);
        transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
      } else if (kind == Kind.CONTENT_LENGTH) {
        String value = text(a, valueStart, valueEnd);
        if (length != null && !length.equals(value)) {
          throw new Malformed("the node sent differing Content-Lengths");
        }
        if (length == null) {
          mine.note(known, lineStart, colon, valueStart, valueEnd, lineEnd);
        }
        length = value;
      }
      lineStart = next(a, lineEnd);
    }
    boolean close = false;
    if (connection != null && connection.equalsIgnoreCase("close")) {
      close = true;
    } else if (connection != null && !connection.equalsIgnoreCase("keep-alive")) {
      List<String> named = new ArrayList<>();
      for (String token : connection.split(",")) {
        String name = token.trim();
        close |= name.equalsIgnoreCase("close");
        if (!name.isEmpty() && !name.equalsIgnoreCase("close")
            && !name.equalsIgnoreCase("keep-alive")) {
          named.add(name);
        }
      }
      connectionNamed = named.isEmpty() ? null : named;
    }
    lengthValue = length;
    frame(headRequest, transferEncoding, length);
    reusable &= !close;
    return end;
  }

  /**
   * Adds the end-to-end headers of the head parsed last to the client's response headers (not
   * the framing: the proxy frames the answer anew). Call before the thread's next parse.
   */
  void passHeaders() {
    lines.passTo(headers);
    if (connectionNamed != null) {
      for (String named : connectionNamed) {
        headers.remove(named);
      }
    }
  }

  /**
   * Writes the head the client gets for the answer parsed last into {@code buf}, ending just
   * before {@code end}, where the node's body starts: HTTP/1.1, the node's status and reason,
   * its end-to-end header lines and Content-Length line as it sent them, and
   * {@code Connection: keep-alive}. That is what Undertow would write from
   * {@link #passHeaders()}, byte for byte but for the reason phrase and the order, without
   * building a header map. Call before the thread's next parse.
   *
   * @return where the client's head starts in {@code buf}, or -1 when it cannot be written so:
   *     an answer without a Date (Undertow adds one), with headers named in its Connection
   *     header, or a head that does not fit before {@code end}
   */
  int writeHead(ByteBuffer buf, int end) {
    if (!dated || connectionNamed != null) {
      return -1;
    }
    return lines.writeTo(buf, end);
  }

  /**
   * Parses the final answer's head in {@code buf[0, position)}: interim answers (1xx) before it
   * are dropped from the buffer, the bytes after them moved to its start.
   *
   * @return the index just past the final head, or -1 when it is not complete yet
   * @throws Malformed as {@link #parse}, and for 101: ARDPX does not relay other protocols
   */
  int parseFinal(ByteBuffer buf, boolean headRequest) throws Malformed {
    int end = parse(buf, 0, buf.position(), headRequest);
    while (end > 0 && interim()) {
      int rest = buf.position() - end;
      for (int i = 0; i < rest; i++) {
        buf.put(i, buf.get(end + i));
      }
      buf.position(rest);
      end = parse(buf, 0, rest, headRequest);
    }
    if (end > 0 && status == 101) {
      throw new Malformed("the node switched protocols, which ARDPX does not relay");
    }
    return end;
  }

  /** Whether this is an interim answer (1xx but 101), to be skipped for the final one. */
  boolean interim() {
    return status >= 100 && status < 200 && status != 101;
  }

  /** The status line in {@code a[0, lineEnd)}. */
  private void statusLine(byte[] a, int lineEnd) throws Malformed {
    boolean http11 = startsWith(a, lineEnd, HTTP_11);
    if (!http11 && !startsWith(a, lineEnd, HTTP_10)) {
      throw new Malformed("the node's answer does not start with an HTTP/1.x status line: '"
          + cut(text(a, 0, lineEnd)) + "'");
    }
    if (lineEnd < 12 || (lineEnd > 12 && a[12] != ' ')) {
      throw new Malformed("the node's status line has no three-digit status: '"
          + cut(text(a, 0, lineEnd)) + "'");
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      byte c = a[i];
      if (c < '0' || c > '9') {
        throw new Malformed("the node's status line has no three-digit status: '"
            + cut(text(a, 0, lineEnd)) + "'");
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100) {
      throw new Malformed("the node answered with status " + code);
    }
    status = code;
    reusable = http11;
  }

  private static boolean startsWith(byte[] a, int limit, byte[] prefix) {
    if (limit < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private void frame(boolean headRequest, String transferEncoding, String length)
      throws Malformed {
    contentLength = -1;
    if (headRequest || interim() || status == 204 || status == 304) {
      framing = Framing.NONE;
    } else if (transferEncoding != null) {
      if (length != null) {
        throw new Malformed("the node sent Content-Length with Transfer-Encoding");
      }
      String[] codings = transferEncoding.split(",");
      if (codings[codings.length - 1].trim().equalsIgnoreCase("chunked")) {
        framing = Framing.CHUNKED;
      } else {
        framing = Framing.CLOSE;
        reusable = false;
      }
    } else if (length != null) {
      contentLength = digits(length);
      if (contentLength < 0) {
        throw new Malformed("the node sent a Content-Length that is not a number: '"
            + cut(length) + "'");
      }
      framing = Framing.LENGTH;
    } else {
      framing = Framing.CLOSE;
      reusable = false;
    }
  }

  /** The value of a string of at most 18 decimal digits, or -1. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The index past the blank line that ends the head in {@code a[from, to)}, or -1. */
  private static int headEnd(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] == '\n') {
        if (i + 1 < to && a[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < to && a[i + 1] == '\r' && a[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /** The end of the line at {@code start}, before its CR LF (or lone LF). */
  private static int lineEnd(byte[] a, int start, int limit) {
    int i = start;
    while (i < limit && a[i] != '\n') {
      i++;
    }
    return i > start && a[i - 1] == '\r' ? i - 1 : i;
  }

  private static int next(byte[] a, int lineEnd) {
    return a[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private static String text(byte[] a, int from, int to) {
    return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
  }

  private static String cut(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

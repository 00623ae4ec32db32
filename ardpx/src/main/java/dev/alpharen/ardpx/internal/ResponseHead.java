package dev.alpharen.ardpx.internal;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

  /** What the parse does with a header: passes it on, drops it, or reads it for framing. */
  private enum Kind { PASSED, DROPPED, CONNECTION, TRANSFER_ENCODING, CONTENT_LENGTH }

  private static final int MAX_KNOWN_LENGTH = 40;
  private static final byte[] HTTP_11 = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] HTTP_10 = "HTTP/1.0 ".getBytes(StandardCharsets.ISO_8859_1);
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[1024]);

  /**
   * Common response header names, by length and first letter: first the hop-by-hop and framing
   * headers, left out of the headers passed on, then the end-to-end ones.
   */
  private static final Known[][] KNOWN = table(List.of(Headers.CONNECTION, Headers.KEEP_ALIVE,
      Headers.PROXY_AUTHENTICATE, Headers.PROXY_AUTHORIZATION, new HttpString("Proxy-Connection"),
      Headers.TE, Headers.TRAILER, Headers.UPGRADE, Headers.TRANSFER_ENCODING,
      Headers.CONTENT_LENGTH),
      List.of(Headers.ACCEPT_RANGES, Headers.AGE, Headers.ALLOW, Headers.CACHE_CONTROL,
      Headers.CONTENT_DISPOSITION, Headers.CONTENT_ENCODING, Headers.CONTENT_LANGUAGE,
      Headers.CONTENT_LOCATION, Headers.CONTENT_RANGE, Headers.CONTENT_SECURITY_POLICY,
      Headers.CONTENT_TYPE, Headers.DATE, Headers.ETAG, Headers.EXPIRES, Headers.LAST_MODIFIED,
      Headers.LOCATION, Headers.PRAGMA, Headers.RETRY_AFTER, Headers.SERVER, Headers.SET_COOKIE,
      Headers.STRICT_TRANSPORT_SECURITY, Headers.VARY, Headers.WWW_AUTHENTICATE,
      Headers.X_CONTENT_TYPE_OPTIONS, Headers.X_FRAME_OPTIONS, Headers.X_XSS_PROTECTION,
      Headers.REFERRER_POLICY));

  private final HeaderMap headers;
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
   * Parses the head in {@code buf[from, to)}, adding its end-to-end headers. Once its end is
   * found, the head is copied into the thread's scratch array and its lines are read from
   * there: indexing a direct buffer byte by byte costs more than the copy.
   *
   * @param headRequest whether the request was HEAD, whose answer has no body
   * @return the index just past the head's blank line, or -1 when the head is not complete yet
   * @throws Malformed when the bytes are not an HTTP/1.x response head
   */
  int parse(ByteBuffer buf, int from, int to, boolean headRequest) throws Malformed {
    int end = headEnd(buf, from, to);
    if (end < 0) {
      return -1;
    }
    int n = end - from;
    byte[] a = SCRATCH.get();
    if (a.length < n) {
      a = new byte[Math.max(n, a.length * 2)];
      SCRATCH.set(a);
    }
    buf.get(from, a, 0, n);
    int lineEnd = lineEnd(a, 0, n);
    statusLine(a, lineEnd);
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
      String value = text(a, valueStart, valueEnd);
      Known known = known(a, lineStart, colon);
      Kind kind = known == null ? Kind.PASSED : known.kind;
      if (kind == Kind.PASSED) {
        headers.add(known == null ? new HttpString(a, lineStart, colon - lineStart) : known.name,
            value);
      } else if (kind == Kind.CONNECTION) {
        connection = connection == null ? value : connection + "," + value;
      } else if (kind == Kind.TRANSFER_ENCODING) {
        transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
      } else if (kind == Kind.CONTENT_LENGTH) {
        if (length != null && !length.equals(value)) {
          throw new Malformed("the node sent differing Content-Lengths");
        }
        length = value;
      }
      lineStart = next(a, lineEnd);
    }
    boolean close = false;
    if (connection != null && connection.equalsIgnoreCase("close")) {
      close = true;
    } else if (connection != null && !connection.equalsIgnoreCase("keep-alive")) {
      for (String token : connection.split(",")) {
        close |= token.trim().equalsIgnoreCase("close");
        String named = token.trim();
        if (!named.isEmpty() && !named.equalsIgnoreCase("close")
            && !named.equalsIgnoreCase("keep-alive")) {
          headers.remove(named);
        }
      }
    }
    lengthValue = length;
    frame(headRequest, transferEncoding, length);
    reusable &= !close;
    return end;
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
      headers.clear();
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

  /**
   * The known header named by {@code a[from, to)}, in any letter case, or null: found by
   * length and first letter, then compared byte by byte (ignoring case), so that no name is
   * allocated and HeaderMap finds Undertow's constant by identity. (HttpString.tryFromString
   * does the same through a synchronized weak map, which costs more than the rest of the
   * parse.)
   */
  private static Known known(byte[] a, int from, int to) {
    int length = to - from;
    if (length >= MAX_KNOWN_LENGTH) {
      return null;
    }
    Known[] candidates = KNOWN[slot(length, a[from])];
    if (candidates == null) {
      return null;
    }
    for (Known candidate : candidates) {
      HttpString name = candidate.name;
      int i = 0;
      while (i < length && lower(a[from + i]) == lower(name.byteAt(i))) {
        i++;
      }
      if (i == length) {
        return candidate;
      }
    }
    return null;
  }

  private static int slot(int length, byte first) {
    return length * 32 + (lower(first) & 31);
  }

  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  private static Known[][] table(List<HttpString> dropped, List<HttpString> passed) {
    Known[][] table = new Known[MAX_KNOWN_LENGTH * 32][];
    for (HttpString name : dropped) {
      add(table, name, name.equals(Headers.CONNECTION) ? Kind.CONNECTION
          : name.equals(Headers.TRANSFER_ENCODING) ? Kind.TRANSFER_ENCODING
          : name.equals(Headers.CONTENT_LENGTH) ? Kind.CONTENT_LENGTH : Kind.DROPPED);
    }
    for (HttpString name : passed) {
      add(table, name, Kind.PASSED);
    }
    return table;
  }

  private static void add(Known[][] table, HttpString name, Kind kind) {
    int slot = slot(name.length(), name.byteAt(0));
    Known[] was = table[slot] == null ? new Known[0] : table[slot];
    Known[] now = Arrays.copyOf(was, was.length + 1);
    now[was.length] = new Known(name, kind);
    table[slot] = now;
  }

  /** A header name ARDPX knows, and what the parse does with it. */
  private record Known(HttpString name, Kind kind) {}

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

  /** The index past the blank line that ends the head in {@code [from, to)}, or -1. */
  private static int headEnd(ByteBuffer buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf.get(i) == '\n') {
        if (i + 1 < to && buf.get(i + 1) == '\n') {
          return i + 2;
        }
        if (i + 2 < to && buf.get(i + 1) == '\r' && buf.get(i + 2) == '\n') {
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

package dev.alpharen.ardpx.internal;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

  private static final Set<HttpString> DROPPED = Set.of(Headers.CONNECTION,
      Headers.KEEP_ALIVE, Headers.PROXY_AUTHENTICATE, Headers.PROXY_AUTHORIZATION,
      new HttpString("Proxy-Connection"), Headers.TE, Headers.TRAILER, Headers.UPGRADE,
      Headers.TRANSFER_ENCODING, Headers.CONTENT_LENGTH);

  /** Common response header names, as nodes spell them and in lower case. */
  private static final Map<String, HttpString> KNOWN = known(Headers.ACCEPT_RANGES, Headers.AGE,
      Headers.ALLOW, Headers.CACHE_CONTROL, Headers.CONNECTION, Headers.CONTENT_DISPOSITION,
      Headers.CONTENT_ENCODING, Headers.CONTENT_LANGUAGE, Headers.CONTENT_LENGTH,
      Headers.CONTENT_LOCATION, Headers.CONTENT_RANGE, Headers.CONTENT_SECURITY_POLICY,
      Headers.CONTENT_TYPE, Headers.DATE, Headers.ETAG, Headers.EXPIRES, Headers.KEEP_ALIVE,
      Headers.LAST_MODIFIED, Headers.LOCATION, Headers.PRAGMA,
      Headers.PROXY_AUTHENTICATE, Headers.RETRY_AFTER, Headers.SERVER, Headers.SET_COOKIE,
      Headers.STRICT_TRANSPORT_SECURITY, Headers.TE, Headers.TRAILER, Headers.TRANSFER_ENCODING,
      Headers.UPGRADE, Headers.VARY, Headers.WWW_AUTHENTICATE, Headers.X_CONTENT_TYPE_OPTIONS,
      Headers.X_FRAME_OPTIONS, Headers.X_XSS_PROTECTION, Headers.REFERRER_POLICY);

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
   * Parses the head in {@code buf[from, to)}, adding its end-to-end headers.
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
    int lineStart = from;
    int lineEnd = lineEnd(buf, lineStart, end);
    statusLine(text(buf, lineStart, lineEnd));
    String connection = null;
    String transferEncoding = null;
    String length = null;
    lineStart = next(buf, lineEnd);
    while (lineStart < end) {
      lineEnd = lineEnd(buf, lineStart, end);
      if (lineEnd == lineStart) {
        break; // the blank line
      }
      int colon = lineStart;
      while (colon < lineEnd && buf.get(colon) != ':') {
        colon++;
      }
      byte first = buf.get(lineStart);
      if (colon == lineStart || colon == lineEnd || first == ' ' || first == '\t') {
        throw new Malformed("the node sent a header line without a name: '"
            + cut(text(buf, lineStart, lineEnd)) + "'");
      }
      for (int i = lineStart; i < colon; i++) {
        if (buf.get(i) == ' ' || buf.get(i) == '\t') {
          throw new Malformed("the node sent a header name with white space: '"
              + cut(text(buf, lineStart, colon)) + "'");
        }
      }
      String name = text(buf, lineStart, colon);
      int valueStart = colon + 1;
      int valueEnd = lineEnd;
      while (valueStart < valueEnd && isBlank(buf.get(valueStart))) {
        valueStart++;
      }
      while (valueEnd > valueStart && isBlank(buf.get(valueEnd - 1))) {
        valueEnd--;
      }
      String value = text(buf, valueStart, valueEnd);
      HttpString header = name(name);
      if (header.equals(Headers.CONNECTION)) {
        connection = connection == null ? value : connection + "," + value;
      } else if (header.equals(Headers.TRANSFER_ENCODING)) {
        transferEncoding = transferEncoding == null ? value : transferEncoding + "," + value;
      } else if (header.equals(Headers.CONTENT_LENGTH)) {
        if (length != null && !length.equals(value)) {
          throw new Malformed("the node sent differing Content-Lengths");
        }
        length = value;
      }
      if (!DROPPED.contains(header)) {
        headers.add(header, value);
      }
      lineStart = next(buf, lineEnd);
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

  private void statusLine(String line) throws Malformed {
    boolean http11 = line.startsWith("HTTP/1.1 ");
    if (!http11 && !line.startsWith("HTTP/1.0 ")) {
      throw new Malformed("the node's answer does not start with an HTTP/1.x status line: '"
          + cut(line) + "'");
    }
    if (line.length() < 12 || (line.length() > 12 && line.charAt(12) != ' ')) {
      throw new Malformed("the node's status line has no three-digit status: '" + cut(line)
          + "'");
    }
    int code = 0;
    for (int i = 9; i < 12; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        throw new Malformed("the node's status line has no three-digit status: '" + cut(line)
            + "'");
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100) {
      throw new Malformed("the node answered with status " + code);
    }
    status = code;
    reusable = http11;
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
   * The header name as Undertow's constant when it is a common one, so that HeaderMap finds it
   * by identity and no name is allocated; a new one otherwise. (HttpString.tryFromString does
   * the same through a synchronized weak map, which costs more than the rest of the parse.)
   */
  private static HttpString name(String name) {
    HttpString known = KNOWN.get(name);
    return known != null ? known : new HttpString(name);
  }

  private static Map<String, HttpString> known(HttpString... names) {
    Map<String, HttpString> byName = new HashMap<>();
    for (HttpString name : names) {
      byName.put(name.toString(), name);
      byName.put(name.toString().toLowerCase(Locale.ROOT), name);
    }
    return Map.copyOf(byName);
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
  private static int lineEnd(ByteBuffer buf, int start, int limit) {
    int i = start;
    while (i < limit && buf.get(i) != '\n') {
      i++;
    }
    return i > start && buf.get(i - 1) == '\r' ? i - 1 : i;
  }

  private static int next(ByteBuffer buf, int lineEnd) {
    return buf.get(lineEnd) == '\r' ? lineEnd + 2 : lineEnd + 1;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private static String text(ByteBuffer buf, int from, int to) {
    byte[] bytes = new byte[to - from];
    buf.get(from, bytes);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static String cut(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }
}

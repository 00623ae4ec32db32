package dev.alpharen.ardpx.internal;

import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.Arrays;
import java.util.List;

/**
 * The response header names {@link ResponseHead} knows, and what it does with each: the
 * hop-by-hop and framing headers it leaves out of what it passes on, and the common end-to-end
 * ones, whose Undertow constants it passes on so that no name is allocated. Found by length and
 * first letter, then compared byte by byte ignoring case. Stateless.
 */
final class AnswerHeaders {
  /** What the parse does with a header: passes it on, drops it, or reads it for framing. */
  enum Kind { PASSED, DROPPED, CONNECTION, TRANSFER_ENCODING, CONTENT_LENGTH }

  /** A header name ARDPX knows, and what the parse does with it. */
  record Known(HttpString name, Kind kind) {}

  private static final int MAX_KNOWN_LENGTH = 40;

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

  private AnswerHeaders() {}

  /**
   * The known header named by {@code a[from, to)}, in any letter case, or null: found by
   * length and first letter, then compared byte by byte (ignoring case), so that no name is
   * allocated and HeaderMap finds Undertow's constant by identity. (HttpString.tryFromString
   * does the same through a synchronized weak map, which costs more than the rest of the
   * parse.)
   */
  static Known find(byte[] a, int from, int to) {
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
}

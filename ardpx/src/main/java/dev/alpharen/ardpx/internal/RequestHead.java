package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.NetworkUtils;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The head of a request as {@link NodeRelay} sends it to a node: the client's request line
 * (origin form), its headers as ForwardingHeaders left them, and the X-Forwarded-For/-Proto/
 * -Server/-Host/-Port that Undertow's proxy handler would set, in place of any the client sent.
 * Written into each I/O thread's scratch buffer: the write to the node takes it at once (or the
 * rest is copied), so the buffer is free again before the thread's next request. Stateless.
 */
final class RequestHead {
  /** Headers the relay writes itself, in place of any the client sent. */
  private static final Set<HttpString> OWN = Set.of(Headers.X_FORWARDED_FOR,
      Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_SERVER, Headers.X_FORWARDED_HOST,
      Headers.X_FORWARDED_PORT);
  private static final int MAX_REQUEST_HEAD = 1024 * 1024;
  private static final ThreadLocal<ByteBuffer> SCRATCH =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(16 * 1024));

  private RequestHead() {}

  /** {@code exchange}'s head for the node, ready to write, in the thread's scratch buffer. */
  static ByteBuffer encode(HttpServerExchange exchange) {
    ByteBuffer b = SCRATCH.get();
    for (int size = b.capacity(); ; size *= 4) {
      try {
        b.clear();
        encode(exchange, b);
        return b.flip();
      } catch (BufferOverflowException e) {
        if (size > MAX_REQUEST_HEAD) {
          throw e;
        }
        b = ByteBuffer.allocate(size * 4);
      }
    }
  }

  private static void encode(HttpServerExchange exchange, ByteBuffer b) {
    exchange.getRequestMethod().appendTo(b);
    b.put((byte) ' ');
    String uri = exchange.getRequestURI();
    if (exchange.isHostIncludedInRequestURI()) {
      int authority = uri.indexOf("//");
      int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
      uri = path < 0 ? "/" : uri.substring(path);
    }
    latin1(b, uri);
    String query = exchange.getQueryString();
    if (!query.isEmpty()) {
      b.put((byte) '?');
      latin1(b, query);
    }
    latin1(b, " HTTP/1.1\r\n");
    for (HeaderValues values : exchange.getRequestHeaders()) {
      HttpString name = values.getHeaderName();
      if (OWN.contains(name)) {
        continue;
      }
      for (int i = 0; i < values.size(); i++) {
        header(b, name, values.get(i));
      }
    }
    SocketAddress source = exchange.getSourceAddress();
    header(b, Headers.X_FORWARDED_FOR, source instanceof InetSocketAddress inet
        ? inet.getHostString() : "localhost");
    header(b, Headers.X_FORWARDED_PROTO,
        exchange.getRequestScheme().equals("https") ? "https" : "http");
    String hostName = exchange.getHostName();
    header(b, Headers.X_FORWARDED_SERVER, hostName);
    if (hostName != null) {
      header(b, Headers.X_FORWARDED_HOST, NetworkUtils.formatPossibleIpv6Address(hostName));
    }
    header(b, Headers.X_FORWARDED_PORT, Integer.toString(exchange.getHostPort()));
    b.put((byte) '\r').put((byte) '\n');
  }

  private static void header(ByteBuffer b, HttpString name, String value) {
    name.appendTo(b);
    b.put((byte) ':').put((byte) ' ');
    latin1(b, value == null ? "" : value);
    b.put((byte) '\r').put((byte) '\n');
  }

  private static void latin1(ByteBuffer b, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      b.put((byte) s.charAt(i));
    }
  }
}

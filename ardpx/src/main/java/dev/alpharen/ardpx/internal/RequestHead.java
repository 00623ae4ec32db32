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
import java.util.Arrays;
import java.util.Set;

/**
 * The head of a request as {@link NodeRelay} sends it to a node: the client's request line
 * (origin form), its headers as ForwardingHeaders left them, and the X-Forwarded-For/-Proto/
 * -Server/-Host/-Port that Undertow's proxy handler would set, in place of any the client sent.
 * Composed in each I/O thread's scratch array and buffer: the write to the node takes it at once
 * (or the rest is copied), so both are free again before the thread's next request.
 */
final class RequestHead {
  /** Headers the relay writes itself, in place of any the client sent. */
  private static final Set<HttpString> OWN = Set.of(Headers.X_FORWARDED_FOR,
      Headers.X_FORWARDED_PROTO, Headers.X_FORWARDED_SERVER, Headers.X_FORWARDED_HOST,
      Headers.X_FORWARDED_PORT);
  private static final int MAX_REQUEST_HEAD = 1024 * 1024;
  /** Each I/O thread's head: composed in an array, then put into a direct buffer at once. */
  private static final ThreadLocal<RequestHead> SCRATCH =
      ThreadLocal.withInitial(RequestHead::new);

  private byte[] a = new byte[4 * 1024];
  private int n;
  private ByteBuffer out = ByteBuffer.allocateDirect(16 * 1024);

  private RequestHead() {}

  /**
   * {@code exchange}'s head for the node, ready to write, in the thread's scratch buffer.
   *
   * @throws BufferOverflowException when the head is over 1 MiB (the proxy's header limit is
   *     far below that)
   */
  static ByteBuffer encode(HttpServerExchange exchange) {
    RequestHead head = SCRATCH.get();
    head.n = 0;
    head.compose(exchange);
    if (head.out.capacity() < head.n) {
      head.out = ByteBuffer.allocateDirect(head.n);
    }
    return head.out.clear().put(head.a, 0, head.n).flip();
  }

  private void compose(HttpServerExchange exchange) {
    name(exchange.getRequestMethod());
    put((byte) ' ');
    String uri = exchange.getRequestURI();
    if (exchange.isHostIncludedInRequestURI()) {
      int authority = uri.indexOf("//");
      int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
      uri = path < 0 ? "/" : uri.substring(path);
    }
    latin1(uri);
    String query = exchange.getQueryString();
    if (!query.isEmpty()) {
      put((byte) '?');
      latin1(query);
    }
    latin1(" HTTP/1.1\r\n");
    for (HeaderValues values : exchange.getRequestHeaders()) {
      HttpString name = values.getHeaderName();
      if (OWN.contains(name)) {
        continue;
      }
      for (int i = 0; i < values.size(); i++) {
        header(name, values.get(i));
      }
    }
    SocketAddress source = exchange.getSourceAddress();
    header(Headers.X_FORWARDED_FOR, source instanceof InetSocketAddress inet
        ? inet.getHostString() : "localhost");
    header(Headers.X_FORWARDED_PROTO,
        exchange.getRequestScheme().equals("https") ? "https" : "http");
    String hostName = exchange.getHostName();
    header(Headers.X_FORWARDED_SERVER, hostName);
    if (hostName != null) {
      header(Headers.X_FORWARDED_HOST, NetworkUtils.formatPossibleIpv6Address(hostName));
    }
    header(Headers.X_FORWARDED_PORT, Integer.toString(exchange.getHostPort()));
    put((byte) '\r');
    put((byte) '\n');
  }

  private void header(HttpString name, String value) {
    name(name);
    put((byte) ':');
    put((byte) ' ');
    latin1(value == null ? "" : value);
    put((byte) '\r');
    put((byte) '\n');
  }

  private void name(HttpString name) {
    room(name.length());
    name.copyTo(a, n);
    n += name.length();
  }

  private void latin1(String s) {
    int length = s.length();
    room(length);
    byte[] to = a;
    int at = n;
    for (int i = 0; i < length; i++) {
      to[at + i] = (byte) s.charAt(i);
    }
    n = at + length;
  }

  private void put(byte b) {
    room(1);
    a[n++] = b;
  }

  private void room(int more) {
    if (n + more > a.length) {
      if (n + more > MAX_REQUEST_HEAD) {
        throw new BufferOverflowException();
      }
      a = Arrays.copyOf(a, Math.min(MAX_REQUEST_HEAD, Math.max(n + more, a.length * 2)));
    }
  }
}

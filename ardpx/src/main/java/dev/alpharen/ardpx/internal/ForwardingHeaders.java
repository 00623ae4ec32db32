package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ResponseCommitListener;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prepares a request's headers for the node: strips the hop-by-hop headers (Connection,
 * Keep-Alive, Proxy-Authorization, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade and
 * every header the Connection header names), which belong to the client's connection only, and
 * replaces any {@code Forwarded} and {@code X-Forwarded-Host} the client sent with ARDPX's own
 * (RFC 7239: {@code for}, {@code host}, {@code proto}). Undertow's proxy handler then sets
 * X-Forwarded-For/-Proto/-Port/-Server itself and frames the body anew. The node's answer loses
 * its hop-by-hop headers too (Connection, Keep-Alive, Proxy-*, TE, Trailer, Upgrade and what its
 * Connection header names) before it goes to the client. Thread-safe.
 */
public final class ForwardingHeaders implements HttpHandler {
  private static final HttpString FORWARDED = new HttpString("Forwarded");
  private static final List<HttpString> HOP_BY_HOP = List.of(Headers.CONNECTION,
      Headers.KEEP_ALIVE, Headers.PROXY_AUTHORIZATION, new HttpString("Proxy-Connection"),
      Headers.TE, Headers.TRAILER, Headers.TRANSFER_ENCODING, Headers.UPGRADE);
  /**
   * The node's hop-by-hop headers, removed from its answer before it goes to the client; the
   * framing headers (Content-Length, Transfer-Encoding) stay, for Undertow frames the answer
   * anew for the client's connection from them.
   */
  private static final List<HttpString> RESPONSE_HOP_BY_HOP = List.of(Headers.CONNECTION,
      Headers.KEEP_ALIVE, Headers.PROXY_AUTHENTICATE, Headers.PROXY_AUTHORIZATION,
      new HttpString("Proxy-Connection"), Headers.TE, Headers.TRAILER, Headers.UPGRADE);
  /** Never removed on a Connection header's say-so: the proxy needs them to route and frame. */
  private static final Set<String> KEPT = Set.of("host", "content-length", "transfer-encoding");
  private static final ResponseCommitListener STRIP_RESPONSE =
      exchange -> stripHopByHop(exchange.getResponseHeaders(), RESPONSE_HOP_BY_HOP);

  /** The client part of {@code Forwarded}, formatted once per connection. */
  private static final AttachmentKey<String> FOR_CLIENT = AttachmentKey.create(String.class);

  private final HttpHandler next;

  public ForwardingHeaders(HttpHandler next) {
    this.next = next;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HeaderMap headers = exchange.getRequestHeaders();
    if (headers.contains(Headers.TRANSFER_ENCODING)) {
      exchange.putAttachment(RetryPolicy.CHUNKED, Boolean.TRUE);
    }
    stripHopByHop(headers, HOP_BY_HOP);
    headers.remove(Headers.X_FORWARDED_HOST);
    headers.put(FORWARDED, forwarded(exchange));
    exchange.addResponseCommitListener(STRIP_RESPONSE);
    next.handleRequest(exchange);
  }

  /** Removes {@code hopByHop} and every header the Connection header names (but {@link #KEPT}). */
  private static void stripHopByHop(HeaderMap headers, List<HttpString> hopByHop) {
    HeaderValues connection = headers.get(Headers.CONNECTION);
    if (connection != null) {
      for (String value : connection) {
        if (value.equalsIgnoreCase("keep-alive") || value.equalsIgnoreCase("close")) {
          continue; // the usual value, naming no header: spare the split on every request
        }
        for (String token : value.split(",")) {
          String name = token.trim();
          if (!name.isEmpty() && !KEPT.contains(name.toLowerCase(Locale.ROOT))) {
            headers.remove(name);
          }
        }
      }
    }
    for (HttpString name : hopByHop) {
      headers.remove(name);
    }
  }

  private static String forwarded(HttpServerExchange exchange) {
    String forClient = exchange.getConnection().getAttachment(FOR_CLIENT);
    if (forClient == null) {
      InetSocketAddress source = exchange.getSourceAddress();
      String client = source == null || source.getAddress() == null ? "unknown"
          : source.getAddress().getHostAddress();
      forClient = client.contains(":") ? quote("[" + client + "]") : client;
      exchange.getConnection().putAttachment(FOR_CLIENT, forClient);
    }
    String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
    if (host == null || host.isEmpty()) {
      host = exchange.getHostAndPort();
    }
    String proto = exchange.getConnection().getSslSessionInfo() != null ? "https" : "http";
    return "for=" + forClient + ";host=" + quote(host) + ";proto=" + proto;
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

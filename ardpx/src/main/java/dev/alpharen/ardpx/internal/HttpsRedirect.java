package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.IntSupplier;

/**
 * Sends plain HTTP requests to the same URL over HTTPS with 308 (which keeps the method and body,
 * unlike 301), on the host the client asked for and the TLS listener's port; requests that came
 * over TLS pass on. Thread-safe.
 */
public final class HttpsRedirect implements HttpHandler {
  private final HttpHandler next;
  private final IntSupplier tlsPort;

  /** @param tlsPort the bound TLS port, asked per request (it is known only once bound) */
  public HttpsRedirect(HttpHandler next, IntSupplier tlsPort) {
    this.next = next;
    this.tlsPort = tlsPort;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (exchange.getConnection().getSslSessionInfo() != null) {
      next.handleRequest(exchange);
      return;
    }
    String host = exchange.getHostName();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    int port = tlsPort.getAsInt();
    StringBuilder location = new StringBuilder("https://").append(host);
    if (port != 443) {
      location.append(':').append(port);
    }
    location.append(exchange.getRequestURI());
    if (!exchange.getQueryString().isEmpty()) {
      location.append('?').append(exchange.getQueryString());
    }
    exchange.setStatusCode(308);
    exchange.getResponseHeaders().put(Headers.LOCATION, location.toString());
    exchange.endExchange();
  }
}

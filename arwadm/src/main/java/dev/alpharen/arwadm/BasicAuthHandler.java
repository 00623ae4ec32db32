package dev.alpharen.arwadm;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Lets a request through to {@code next} only with HTTP Basic credentials of the admin user;
 * anything else gets 401 with a JSON error. Passwords are compared in constant time. Thread-safe.
 */
public final class BasicAuthHandler implements HttpHandler {
  private static final String REALM = "Basic realm=\"ALPHA-REN\", charset=\"UTF-8\"";

  private final HttpHandler next;
  private final byte[] expected;

  public BasicAuthHandler(HttpHandler next, String user, String password) {
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("user must be non-empty and contain no ':', was '" + user + "'");
    }
    this.next = next;
    this.expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (authorized(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
      next.handleRequest(exchange);
      return;
    }
    exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, REALM);
    HttpJson.error(exchange, 401,
        "authentication required: send HTTP Basic credentials of the admin user");
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected);
  }
}

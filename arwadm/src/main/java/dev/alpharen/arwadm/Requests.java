package dev.alpharen.arwadm;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Optional;

/** Reads what the API needs from requests, answering 4xx itself when the request is malformed. */
final class Requests {
  /** The largest request body the API takes. */
  static final int MAX_BODY = 1 << 20;

  private Requests() {}

  /** The body as UTF-8 text, or empty after answering 413 when it is too large. */
  static Optional<String> body(HttpServerExchange exchange) throws IOException {
    exchange.setMaxEntitySize(MAX_BODY);
    try {
      byte[] bytes = exchange.getInputStream().readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        HttpJson.error(exchange, 413, "request body is larger than " + MAX_BODY + " bytes");
        return Optional.empty();
      }
      return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    } catch (RequestTooBigException e) {
      HttpJson.error(exchange, 413, "request body is larger than " + MAX_BODY + " bytes");
      return Optional.empty();
    }
  }

  /** A path parameter of the route ({@code {name}}). */
  static String path(HttpServerExchange exchange, String name) {
    return exchange.getQueryParameters().get(name).getFirst();
  }

  /** A query parameter, if present. */
  static Optional<String> query(HttpServerExchange exchange, String name) {
    Deque<String> values = exchange.getQueryParameters().get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  /**
   * The version a rollback asks for ({@code ?to=N}); null once a 400 has been answered (missing or
   * not a number).
   */
  static Long rollbackTarget(HttpServerExchange exchange) {
    Optional<String> to = query(exchange, "to");
    if (to.isEmpty()) {
      HttpJson.error(exchange, 400, "rollback needs ?to=<version>");
      return null;
    }
    return number(exchange, "to", to.get());
  }

  /** A whole number, or null after answering 400 naming the parameter and the rule. */
  static Long number(HttpServerExchange exchange, String what, String text) {
    String digits = text.trim().replace("\"", "");
    if (!digits.matches("\\d{1,18}")) {
      HttpJson.error(exchange, 400, what + " must be a whole number, was '" + text + "'");
      return null;
    }
    return Long.parseLong(digits);
  }
}

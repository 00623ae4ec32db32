package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * ARDPX's own error answers: a status and {@code {"error":"..."}} saying what went wrong and,
 * where it helps, which setting decides it. Stateless.
 */
final class JsonError {
  private JsonError() {}

  /** Answers {@code status} with {@code message} as the body's error. */
  static void send(HttpServerExchange exchange, int status, String message) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send("{\"error\":\"" + message.replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\"}");
  }
}

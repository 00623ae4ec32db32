package dev.alpharen.arwadm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Map;

/** Writes JSON bodies and JSON errors on Undertow exchanges. Thread-safe. */
public final class HttpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HttpJson() {}

  /** Sends {@code body} serialized as JSON with the given status. */
  public static void send(HttpServerExchange exchange, int status, Object body) {
    String json;
    try {
      json = MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("response body is not serializable: " + e.getMessage(), e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(json);
  }

  /** Sends {@code {"error": message}} with the given status. */
  public static void error(HttpServerExchange exchange, int status, String message) {
    send(exchange, status, Map.of("error", message));
  }
}

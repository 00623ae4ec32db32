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

  /** A JSON object with its fields in the given order: {@code object("name", n, "version", v)}. */
  public static Map<String, Object> object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs, got "
          + keysAndValues.length + " items");
    }
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      json.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return json;
  }

  /** Sends {@code {"error": message}} with the given status. */
  public static void error(HttpServerExchange exchange, int status, String message) {
    send(exchange, status, Map.of("error", message));
  }
}

package dev.alpharen.arwadm;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/deadletters}: the cluster's dead letters, listed ({@code ?integration=},
 * {@code ?limit=}), replayed and deleted by id. Unknown ids answer 404, malformed ones 400.
 * Thread-safe.
 */
final class DeadLettersResource {
  /** Default and largest {@code limit}. */
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  /** Dead-letter ids are UUIDs. */
  private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}"
      + "-[0-9a-fA-F]{12}");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final DeadLetters deadLetters;

  DeadLettersResource(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/deadletters", this::list)
        .post("/deadletters/{id}/replay", e -> byId(e, () -> deadLetters.replay(id(e))))
        .delete("/deadletters/{id}", e -> byId(e, () -> deadLetters.delete(id(e))));
  }

  private void list(HttpServerExchange exchange) {
    Optional<String> integration = Requests.query(exchange, "integration");
    if (integration.isPresent() && !NAME.matcher(integration.get()).matches()) {
      HttpJson.error(exchange, 400, "integration must be an integration name (1-63 of a-z, 0-9"
          + " and '-'), was '" + integration.get() + "'");
      return;
    }
    long limit = DEFAULT_LIMIT;
    Optional<String> text = Requests.query(exchange, "limit");
    if (text.isPresent()) {
      Long parsed = Requests.number(exchange, "limit", text.get());
      if (parsed == null) {
        return;
      }
      if (parsed < 1 || parsed > MAX_LIMIT) {
        HttpJson.error(exchange, 400, "limit must be from 1 to " + MAX_LIMIT + ", was " + parsed);
        return;
      }
      limit = parsed;
    }
    HttpJson.send(exchange, 200, HttpJson.object("deadLetters",
        deadLetters.list(integration, (int) limit)));
  }

  private static String id(HttpServerExchange exchange) {
    return Requests.path(exchange, "id");
  }

  private static void byId(HttpServerExchange exchange, Supplier<Object> action) {
    String id = id(exchange);
    if (!ID.matcher(id).matches()) {
      HttpJson.error(exchange, 400, "dead-letter id must be a UUID as listed by GET"
          + " /api/v1/deadletters, was '" + id + "'");
      return;
    }
    try {
      HttpJson.send(exchange, 200, action.get());
    } catch (NoSuchElementException e) {
      HttpJson.error(exchange, 404, e.getMessage());
    } catch (IllegalStateException e) {
      HttpJson.error(exchange, 503, e.getMessage());
    }
  }
}

package dev.alpharen.arwadm;

import dev.alpharen.arclst.Variables;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/variables}: the shared "memory" variables, {@code ?scope=cluster} (default,
 * every node sees them) or {@code ?scope=node} (this node only), with an optional
 * {@code ?ttl=30s}. Thread-safe.
 */
final class VariablesResource {
  private static final Pattern TTL = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private final Variables cluster;
  private final Variables node;

  VariablesResource(Variables cluster, Variables node) {
    this.cluster = cluster;
    this.node = node;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/variables", this::list)
        .get("/variables/{name}", this::get)
        .put("/variables/{name}", this::put)
        .delete("/variables/{name}", this::delete);
  }

  private void list(HttpServerExchange exchange) {
    scope(exchange).ifPresent(v -> HttpJson.send(exchange, 200, HttpJson.object("variables", v.snapshot())));
  }

  private void get(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    scope(exchange).ifPresent(v -> guard(exchange, () -> v.get(name).ifPresentOrElse(
        value -> HttpJson.send(exchange, 200, HttpJson.object("name", name, "value", value)),
        () -> HttpJson.error(exchange, 404, "no variable '" + name + "'"))));
  }

  private void put(HttpServerExchange exchange) throws IOException {
    String name = Requests.path(exchange, "name");
    Optional<Variables> variables = scope(exchange);
    if (variables.isEmpty()) {
      return;
    }
    Optional<String> ttlText = Requests.query(exchange, "ttl");
    Duration ttl = null;
    if (ttlText.isPresent()) {
      Matcher m = TTL.matcher(ttlText.get());
      if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
        HttpJson.error(exchange, 400, "ttl must be a positive duration such as 500ms, 30s, 5m,"
            + " 1h or 1d, was '" + ttlText.get() + "'");
        return;
      }
      long n = Long.parseLong(m.group(1));
      ttl = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    Optional<String> value = Requests.body(exchange);
    if (value.isEmpty()) {
      return;
    }
    Duration expiry = ttl;
    guard(exchange, () -> {
      if (expiry == null) {
        variables.get().set(name, value.get());
      } else {
        variables.get().set(name, value.get(), expiry);
      }
      HttpJson.send(exchange, 200, HttpJson.object("name", name, "value", value.get()));
    });
  }

  private void delete(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    scope(exchange).ifPresent(v -> guard(exchange, () -> {
      if (v.remove(name)) {
        HttpJson.send(exchange, 200, HttpJson.object("name", name, "removed", true));
      } else {
        HttpJson.error(exchange, 404, "no variable '" + name + "'");
      }
    }));
  }

  /** The variables of {@code ?scope=}, or empty after answering 400. */
  private Optional<Variables> scope(HttpServerExchange exchange) {
    String scope = Requests.query(exchange, "scope").orElse("cluster");
    return switch (scope) {
      case "cluster" -> Optional.of(cluster);
      case "node" -> Optional.of(node);
      default -> {
        HttpJson.error(exchange, 400, "scope must be 'cluster' or 'node', was '" + scope + "'");
        yield Optional.empty();
      }
    };
  }

  private static void guard(HttpServerExchange exchange, Runnable action) {
    try {
      action.run();
    } catch (IllegalArgumentException e) {
      HttpJson.error(exchange, 400, e.getMessage());
    }
  }
}

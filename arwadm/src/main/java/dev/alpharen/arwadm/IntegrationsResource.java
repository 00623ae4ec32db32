package dev.alpharen.arwadm;

import dev.alpharen.arclst.VersionConflictException;
import dev.alpharen.arclst.VersionedRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * {@code /api/v1/integrations}: deploy Camel YAML integrations to the whole cluster, list them with
 * their status on every node, roll them back, stop and start them. A refused document answers 400
 * {@code {"error","line","column"}} and changes nothing. Thread-safe.
 */
final class IntegrationsResource {
  private static final String AUTHOR = "admin";

  private final Integrations integrations;

  IntegrationsResource(Integrations integrations) {
    this.integrations = integrations;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/integrations", this::list)
        .get("/integrations/{name}", this::get)
        .put("/integrations/{name}", this::put)
        .delete("/integrations/{name}", this::delete)
        .post("/integrations/{name}/rollback", this::rollback)
        .post("/integrations/{name}/stop", e -> running(e, false))
        .post("/integrations/{name}/start", e -> running(e, true));
  }

  private void list(HttpServerExchange exchange) {
    HttpJson.send(exchange, 200, HttpJson.object("integrations", integrations.list()));
  }

  private void get(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    integrations.describe(name).ifPresentOrElse(
        body -> HttpJson.send(exchange, 200, body),
        () -> HttpJson.error(exchange, 404, "no integration '" + name + "'"));
  }

  private void put(HttpServerExchange exchange) throws IOException {
    String name = Requests.path(exchange, "name");
    Long expected = expectedVersion(exchange);
    if (expected == null) {
      return;
    }
    Optional<String> body = Requests.body(exchange);
    if (body.isEmpty()) {
      return;
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (Map.Entry<String, Deque<String>> q : exchange.getQueryParameters().entrySet()) {
      if (!q.getKey().equals("name") && !q.getValue().isEmpty()) {
        options.put(q.getKey(), q.getValue().getFirst());
      }
    }
    guard(exchange, () -> {
      Map<String, Object> saved = integrations.deploy(name, body.get(), options, expected, AUTHOR);
      HttpJson.send(exchange, Boolean.TRUE.equals(saved.get("created")) ? 201 : 200, saved);
    });
  }

  private void delete(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    Long expected = expectedVersion(exchange);
    if (expected == null) {
      return;
    }
    guard(exchange, () -> HttpJson.send(exchange, 200,
        integrations.delete(name, expected, AUTHOR)));
  }

  private void rollback(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    Long version = Requests.rollbackTarget(exchange);
    if (version == null) {
      return;
    }
    guard(exchange, () -> HttpJson.send(exchange, 200,
        integrations.rollback(name, version, AUTHOR)));
  }

  private void running(HttpServerExchange exchange, boolean running) {
    String name = Requests.path(exchange, "name");
    guard(exchange, () -> HttpJson.send(exchange, 200, integrations.setRunning(name, running)));
  }

  /** {@code If-Match: <version>} (0 = must not exist); without it, any version. */
  private static Long expectedVersion(HttpServerExchange exchange) {
    String ifMatch = exchange.getRequestHeaders().getFirst(Headers.IF_MATCH);
    return ifMatch == null ? Long.valueOf(VersionedRegistry.ANY)
        : Requests.number(exchange, "If-Match", ifMatch);
  }

  /** Runs an action, turning refusals into 400 (with line and column), 404 and 409. */
  private static void guard(HttpServerExchange exchange, Action action) {
    try {
      action.run();
    } catch (IntegrationRejectedException e) {
      HttpJson.send(exchange, 400, HttpJson.object("error", e.getMessage(), "line", e.line(),
          "column", e.column()));
    } catch (VersionConflictException e) {
      HttpJson.error(exchange, 409, e.getMessage());
    } catch (NoSuchElementException e) {
      HttpJson.error(exchange, 404, e.getMessage());
    } catch (IllegalArgumentException e) {
      HttpJson.error(exchange, 400, e.getMessage());
    }
  }

  private interface Action {
    void run() throws IntegrationRejectedException, VersionConflictException;
  }
}

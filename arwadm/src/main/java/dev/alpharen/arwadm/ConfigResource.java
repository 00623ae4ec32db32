package dev.alpharen.arwadm;

import dev.alpharen.arclst.ClusterEvent;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.VersionConflictException;
import dev.alpharen.arclst.Versioned;
import dev.alpharen.arclst.VersionedRegistry;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * {@code /api/v1/config}: cluster-wide configuration entries (the configuration portal's
 * storage), versioned, with compare-and-set through {@code If-Match: <version>}, history and
 * rollback; every node sees the same entries and they survive a full cluster restart.
 * Thread-safe.
 */
final class ConfigResource {
  private static final String AUTHOR = "admin";

  private final VersionedRegistry registry;
  private final ClusterEvents events;

  ConfigResource(VersionedRegistry registry, ClusterEvents events) {
    this.registry = registry;
    this.events = events;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/config", this::list)
        .get("/config/{name}", this::get)
        .get("/config/{name}/history", this::history)
        .put("/config/{name}", this::put)
        .delete("/config/{name}", this::delete)
        .post("/config/{name}/rollback", this::rollback);
  }

  private void list(HttpServerExchange exchange) {
    HttpJson.send(exchange, 200, HttpJson.object("entries", registry.list().stream()
        .map(v -> json(v, false)).toList()));
  }

  private void get(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    guard(exchange, () -> registry.get(name).ifPresentOrElse(
        v -> HttpJson.send(exchange, 200, json(v, true)),
        () -> HttpJson.error(exchange, 404, "no configuration entry '" + name + "'")));
  }

  private void history(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    guard(exchange, () -> {
      var versions = registry.history(name);
      if (versions.isEmpty()) {
        HttpJson.error(exchange, 404, "no configuration entry '" + name + "'");
      } else {
        HttpJson.send(exchange, 200, HttpJson.object("name", name, "versions",
            versions.stream().map(v -> json(v, true)).toList()));
      }
    });
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
    guard(exchange, () -> {
      Versioned saved = registry.put(name, body.get(), expected, AUTHOR);
      events.publish(new ClusterEvent.ConfigChanged(Instant.now(), "config", name,
          saved.version()));
      HttpJson.send(exchange, saved.version() == 1 || isRecreated(saved) ? 201 : 200,
          HttpJson.object("name", name, "version", saved.version()));
    });
  }

  private void delete(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    Long expected = expectedVersion(exchange);
    if (expected == null) {
      return;
    }
    guard(exchange, () -> {
      Versioned tombstone = registry.delete(name, expected, AUTHOR);
      events.publish(new ClusterEvent.ConfigChanged(Instant.now(), "config", name,
          tombstone.version()));
      HttpJson.send(exchange, 200, HttpJson.object("name", name, "version", tombstone.version(),
          "deleted", true));
    });
  }

  private void rollback(HttpServerExchange exchange) {
    String name = Requests.path(exchange, "name");
    Long version = Requests.rollbackTarget(exchange);
    if (version == null) {
      return;
    }
    guard(exchange, () -> {
      Versioned saved = registry.rollback(name, version, AUTHOR);
      events.publish(new ClusterEvent.ConfigChanged(Instant.now(), "config", name,
          saved.version()));
      HttpJson.send(exchange, 200, HttpJson.object("name", name, "version", saved.version()));
    });
  }

  /** {@code If-Match: <version>} (0 = must not exist); without it, any version. */
  private static Long expectedVersion(HttpServerExchange exchange) {
    String ifMatch = exchange.getRequestHeaders().getFirst(Headers.IF_MATCH);
    return ifMatch == null ? Long.valueOf(VersionedRegistry.ANY)
        : Requests.number(exchange, "If-Match", ifMatch);
  }

  private boolean isRecreated(Versioned saved) {
    var history = registry.history(saved.name());
    return history.size() >= 2 && history.get(history.size() - 2).deleted();
  }

  private static Map<String, Object> json(Versioned v, boolean withContent) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", v.name());
    json.put("version", v.version());
    if (withContent) {
      json.put("content", v.content());
    }
    if (v.deleted()) {
      json.put("deleted", true);
    }
    json.put("updatedAt", v.updatedAt().toString());
    json.put("updatedBy", v.updatedBy());
    return json;
  }

  /** Runs an action, turning the registry's refusals into 400, 404 and 409. */
  private static void guard(HttpServerExchange exchange, Action action) {
    try {
      action.run();
    } catch (VersionConflictException e) {
      HttpJson.error(exchange, 409, e.getMessage());
    } catch (NoSuchElementException e) {
      HttpJson.error(exchange, 404, e.getMessage());
    } catch (IllegalArgumentException e) {
      HttpJson.error(exchange, 400, e.getMessage());
    }
  }

  private interface Action {
    void run() throws VersionConflictException;
  }
}

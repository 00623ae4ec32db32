package dev.alpharen.arwadm;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /api/v1/activities?type=&severity=&integration=&node=&since=&until=&limit=}: the
 * cluster's activities, newest first. Every parameter is optional; {@code type} takes a
 * comma-separated list, {@code severity} is the least severity, {@code since}/{@code until} are
 * ISO-8601 instants ({@code 2026-11-25T07:00:00Z}). A bad parameter gets 400 naming it and what is
 * allowed. Thread-safe.
 */
final class ActivitiesResource {
  /** How many activities a query returns when it does not say. */
  static final int DEFAULT_LIMIT = 100;
  private static final Set<String> PARAMETERS =
      Set.of("type", "severity", "integration", "node", "since", "until", "limit");

  private final ActivitiesView view;

  ActivitiesResource(ActivitiesView view) {
    this.view = view;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/activities", this::query);
  }

  private void query(HttpServerExchange exchange) {
    for (String name : exchange.getQueryParameters().keySet()) {
      if (!PARAMETERS.contains(name)) {
        HttpJson.error(exchange, 400, "unknown parameter '" + name + "'; allowed: type, severity,"
            + " integration, node, since, until, limit");
        return;
      }
    }
    List<String> types = new ArrayList<>();
    for (String type : Requests.query(exchange, "type").map(t -> Arrays.asList(t.split(",")))
        .orElse(List.of())) {
      String t = type.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!view.types().contains(t)) {
        HttpJson.error(exchange, 400, "type: unknown activity type '" + t + "'; allowed: "
            + String.join(", ", view.types()));
        return;
      }
      types.add(t);
    }
    String severity = Requests.query(exchange, "severity").map(String::trim)
        .orElse(view.severities().get(0));
    if (!view.severities().contains(severity)) {
      HttpJson.error(exchange, 400, "severity: unknown severity '" + severity + "'; allowed: "
          + String.join(", ", view.severities()));
      return;
    }
    Optional<Instant> since = instant(exchange, "since");
    Optional<Instant> until = instant(exchange, "until");
    if (since == null || until == null) {
      return;
    }
    if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
      HttpJson.error(exchange, 400, "since (" + since.get() + ") must be before until ("
          + until.get() + ")");
      return;
    }
    int limit = DEFAULT_LIMIT;
    Optional<String> limitText = Requests.query(exchange, "limit");
    if (limitText.isPresent()) {
      String text = limitText.get().trim();
      if (!text.matches("\\d{1,9}") || Integer.parseInt(text) < 1
          || Integer.parseInt(text) > view.maxLimit()) {
        HttpJson.error(exchange, 400, "limit must be a whole number from 1 to " + view.maxLimit()
            + ", was '" + limitText.get() + "'");
        return;
      }
      limit = Integer.parseInt(text);
    }
    ActivitiesView.Filter filter = new ActivitiesView.Filter(types, severity,
        Requests.query(exchange, "integration").map(String::trim).orElse(""),
        Requests.query(exchange, "node").map(String::trim).orElse(""),
        since.orElse(Instant.EPOCH), until.orElse(Instant.MAX), limit);
    HttpJson.send(exchange, 200, view.query(filter));
  }

  /** The instant parameter; empty if absent; null once a 400 has been answered. */
  private static Optional<Instant> instant(HttpServerExchange exchange, String name) {
    Optional<String> text = Requests.query(exchange, name);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.get().trim()));
    } catch (DateTimeParseException e) {
      HttpJson.error(exchange, 400, name + " must be an ISO-8601 instant such as"
          + " 2026-11-25T07:00:00Z, was '" + text.get() + "'");
      return null;
    }
  }
}

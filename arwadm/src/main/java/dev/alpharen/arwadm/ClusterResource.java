package dev.alpharen.arwadm;

import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arhav.HealthView;
import dev.alpharen.arhav.NodePicker;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/cluster} and {@code /api/v1/nodes/{id}}: the node directory, and draining a
 * node. Thread-safe.
 */
final class ClusterResource {
  private static final Pattern NODE_ID =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private final NodeDirectory directory;
  private final HealthView health;
  private final NodePicker picker;

  ClusterResource(NodeDirectory directory, HealthView health, NodePicker picker) {
    this.directory = directory;
    this.health = health;
    this.picker = picker;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/cluster", this::getCluster)
        .get("/rtt", this::getRtt)
        .get("/health-events", this::getHealthEvents)
        .get("/nodes/{id}", this::getNode)
        .post("/nodes/{id}/drain", this::drainNode);
  }

  private void getCluster(HttpServerExchange exchange) {
    ClusterSnapshot snapshot = directory.snapshot();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", snapshot.name());
    body.put("coordinator", snapshot.coordinator());
    body.put("members", snapshot.members().stream().map(this::member).toList());
    HttpJson.send(exchange, 200, body);
  }

  /** The RTT matrix in milliseconds (three decimals), as every node last published its row. */
  private void getRtt(HttpServerExchange exchange) {
    Map<String, Map<String, Double>> matrix = new LinkedHashMap<>();
    health.rttMatrix().forEach((from, row) -> {
      Map<String, Double> ms = new LinkedHashMap<>();
      row.forEach((to, micros) -> ms.put(to, micros / 1000.0));
      matrix.put(from, ms);
    });
    HttpJson.send(exchange, 200, HttpJson.object("unit", "ms", "node", directory.self().id(),
        "nearestFirst", picker.candidates().stream().map(MemberInfo::id).toList(),
        "rtt", matrix));
  }

  private void getHealthEvents(HttpServerExchange exchange) {
    HttpJson.send(exchange, 200, HttpJson.object("node", directory.self().id(), "events",
        health.events().stream().map(e -> HttpJson.object("node", e.node(), "from",
            e.from().name(), "to", e.to().name(), "at", e.at().toString(), "silenceMs",
            e.silence())).toList()));
  }

  private void getNode(HttpServerExchange exchange) {
    String id = nodeId(exchange);
    if (id == null) {
      return;
    }
    ClusterSnapshot snapshot = directory.snapshot();
    snapshot.member(id).ifPresentOrElse(
        m -> HttpJson.send(exchange, 200, member(m)),
        () -> unknownNode(exchange, id, snapshot));
  }

  private void drainNode(HttpServerExchange exchange) {
    String id = nodeId(exchange);
    if (id == null) {
      return;
    }
    String cluster = directory.snapshot().name();
    switch (directory.requestDrain(id)) {
      case REQUESTED -> HttpJson.send(exchange, 202, HttpJson.object("node", id, "status", "DRAINING",
          "message", "node " + id + " is draining; it stops taking new work now and leaves the"
              + " cluster after its drain grace period"));
      case ALREADY_DRAINING -> HttpJson.send(exchange, 202, HttpJson.object("node", id, "status",
          "DRAINING", "message", "node " + id + " is already draining or leaving"));
      case NOT_ACTIVE_YET -> HttpJson.error(exchange, 409, "node " + id
          + " is still joining; drain it once it is ACTIVE");
      case LAST_ACTIVE_NODE -> HttpJson.error(exchange, 409, "node " + id
          + " is the last ACTIVE node of cluster '" + cluster
          + "'; draining it would leave no node to take work");
      case UNKNOWN_NODE -> unknownNode(exchange, id, directory.snapshot());
    }
  }

  /** The {id} path parameter, or null after answering 400 when it cannot be a node id. */
  private static String nodeId(HttpServerExchange exchange) {
    String id = exchange.getQueryParameters().get("id").getFirst();
    if (!NODE_ID.matcher(id).matches()) {
      HttpJson.error(exchange, 400, "'" + id + "' is not a node id; node ids are 1-63 letters,"
          + " digits and '-', not starting or ending with '-'");
      return null;
    }
    return id;
  }

  private static void unknownNode(HttpServerExchange exchange, String id, ClusterSnapshot s) {
    HttpJson.error(exchange, 404, "no node '" + id + "' in cluster '" + s.name() + "'; members: "
        + s.members().stream().map(MemberInfo::id).collect(Collectors.joining(", ")));
  }

  private Map<String, Object> member(MemberInfo m) {
    NodeDescriptor node = m.node();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", node.id());
    json.put("lan", node.lan());
    json.put("roles", node.roles());
    json.put("address", m.address());
    json.put("http", node.http());
    json.put("status", node.status().name());
    json.put("version", node.version());
    json.put("since", node.startedAt().toString());
    json.put("local", m.local());
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", node.ports().http());
    ports.put("broker", node.ports().broker());
    ports.put("proxy", node.ports().proxy());
    ports.put("dns", node.ports().dns());
    ports.values().removeIf(p -> p == 0);
    json.put("ports", ports);
    Map<String, Object> verdict = new LinkedHashMap<>();
    verdict.put("state", health.health(node.id()).name());
    health.since(node.id()).ifPresent(since -> verdict.put("since", since.toString()));
    json.put("health", verdict);
    return json;
  }
}

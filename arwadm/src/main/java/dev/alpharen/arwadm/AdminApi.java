package dev.alpharen.arwadm;

import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Methods;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The admin REST API below {@code /api/v1} (mount it with that prefix stripped). Answers JSON
 * only; unknown paths get 404 and known paths with another method 405, both as JSON. It does not
 * authenticate: wrap it in {@link BasicAuthHandler}. Thread-safe.
 */
public final class AdminApi implements HttpHandler {
  private final ClusterView cluster;
  private final RoutingHandler routes;

  public AdminApi(ClusterView cluster) {
    this.cluster = cluster;
    this.routes = new RoutingHandler()
        .get("/cluster", this::getCluster)
        .setFallbackHandler(e -> HttpJson.error(e, 404, "no such API resource: " + e.getRequestMethod()
            + " /api/v1" + e.getRelativePath()))
        .setInvalidMethodHandler(e -> HttpJson.error(e, 405, "method " + e.getRequestMethod()
            + " is not allowed on /api/v1" + e.getRelativePath()));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    routes.handleRequest(exchange);
  }

  private void getCluster(HttpServerExchange exchange) {
    ClusterSnapshot snapshot = cluster.snapshot();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", snapshot.name());
    body.put("coordinator", snapshot.coordinator());
    body.put("members", snapshot.members().stream().map(AdminApi::member).toList());
    HttpJson.send(exchange, 200, body);
  }

  private static Map<String, Object> member(MemberInfo m) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", m.id());
    json.put("address", m.address());
    json.put("http", m.http());
    json.put("local", m.local());
    return json;
  }

}

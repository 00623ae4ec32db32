package dev.alpharen.arwadm;

import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.VersionedRegistry;
import dev.alpharen.arhav.HealthView;
import dev.alpharen.arhav.NodePicker;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;

/**
 * The admin REST API below {@code /api/v1} (mount it with that prefix stripped): the cluster and
 * its nodes, configuration entries, variables and, once added, integrations. Answers JSON only;
 * unknown paths get 404 and known paths with another method 405, both as JSON. It does not
 * authenticate: wrap it in {@link BasicAuthHandler}. Must run off the I/O thread (it blocks on the
 * cluster). Thread-safe.
 */
public final class AdminApi implements HttpHandler {
  private final RoutingHandler routes = new RoutingHandler();

  /**
   * @param directory the node directory
   * @param config the cluster's configuration entries
   * @param events where configuration changes are announced
   * @param variables the cluster's and this node's variables
   * @param health this node's failure detector and RTT meter
   * @param picker this node's choice of nodes, nearest first
   * @param broker this node's message broker
   */
  public AdminApi(NodeDirectory directory, VersionedRegistry config, ClusterEvents events,
      VariableScopes variables, HealthView health, NodePicker picker, BrokerView broker) {
    new ClusterResource(directory, health, picker).addTo(routes);
    new ConfigResource(config, events).addTo(routes);
    new VariablesResource(variables.cluster(), variables.node()).addTo(routes);
    new BrokerResource(broker).addTo(routes);
    routes.setFallbackHandler(e -> HttpJson.error(e, 404, "no such API resource: "
            + e.getRequestMethod() + " /api/v1" + e.getRelativePath()))
        .setInvalidMethodHandler(e -> HttpJson.error(e, 405, "method " + e.getRequestMethod()
            + " is not allowed on /api/v1" + e.getRelativePath()));
  }

  /**
   * Adds {@code /api/v1/integrations}, served by the node's integration runtime. Call it before
   * the API serves its first request.
   */
  public AdminApi withIntegrations(Integrations integrations) {
    new IntegrationsResource(integrations).addTo(routes);
    return this;
  }

  /**
   * Adds {@code /api/v1/deadletters}, served by the node's retry queues. Call it before the API
   * serves its first request.
   */
  public AdminApi withDeadLetters(DeadLetters deadLetters) {
    new DeadLettersResource(deadLetters).addTo(routes);
    return this;
  }

  /**
   * Adds {@code /api/v1/activities}, the cluster's activity journal. Call it before the API serves
   * its first request.
   */
  public AdminApi withActivities(ActivitiesView activities) {
    new ActivitiesResource(activities).addTo(routes);
    return this;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    routes.handleRequest(exchange);
  }
}

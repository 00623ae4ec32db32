package dev.alpharen.arwadm;

import io.undertow.server.RoutingHandler;

/**
 * {@code GET /broker} (this node's broker: peers, replication, backups it runs for others) and
 * {@code GET /queues} (this node's queues with depth, bound, rate in/out and oldest message age).
 */
final class BrokerResource {
  private final BrokerView broker;

  BrokerResource(BrokerView broker) {
    this.broker = broker;
  }

  void addTo(RoutingHandler routes) {
    routes.get("/broker", e -> HttpJson.send(e, 200, broker.status()));
    routes.get("/queues", e -> HttpJson.send(e, 200, HttpJson.object("queues", broker.queues())));
  }
}

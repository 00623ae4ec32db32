package dev.alpharen.arsrv.broker;

import dev.alpharen.arsrv.runtime.QueueBounds;
import dev.alpharen.arsrv.runtime.QueuePolicy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Integrations' own queue bounds as address settings of one broker. Thread-safe. */
final class BrokerQueueBounds implements QueueBounds {
  private static final Logger log = LoggerFactory.getLogger(BrokerQueueBounds.class);

  private final ActiveMQServer server;
  private final String nodeId;

  BrokerQueueBounds(ActiveMQServer server, String nodeId) {
    this.server = server;
    this.nodeId = nodeId;
  }

  /**
   * Bounds the queues an integration names by its own policy: an address setting per queue that
   * sets only what the policy overrides, the rest merged from the cluster's defaults ({@code #}).
   * When two integrations bound one queue, the last one deployed wins.
   */
  @Override
  public void apply(String integration, Set<String> queues, QueuePolicy policy) {
    Set<String> bounded = policy.overrides() ? Set.copyOf(queues) : Set.of();
    Set<String> before = boundQueues.put(integration, bounded);
    if (before != null) {
      before.stream().filter(q -> !bounded.contains(q)).forEach(this::unbound);
    }
    for (String queue : bounded) {
      AddressSettings own = new AddressSettings();
      if (policy.maxMessages() > 0) {
        own.setMaxSizeMessages(policy.maxMessages());
      }
      if (policy.maxBytes() > 0) {
        own.setMaxSizeBytes(policy.maxBytes());
      }
      if (!policy.fullPolicy().isEmpty()) {
        own.setAddressFullMessagePolicy(AddressFullMessagePolicy.valueOf(policy.fullPolicy()));
      }
      server.getAddressSettingsRepository().addMatch(queue, own);
      log.info("broker {}: queue {} bounded by integration {}: {}", nodeId, queue, integration,
          policy);
    }
  }

  @Override
  public void release(String integration) {
    Set<String> before = boundQueues.remove(integration);
    if (before != null) {
      before.forEach(this::unbound);
    }
  }

  private void unbound(String queue) {
    if (boundQueues.values().stream().noneMatch(qs -> qs.contains(queue))) {
      server.getAddressSettingsRepository().removeMatch(queue);
      log.info("broker {}: queue {} back to the cluster's bounds", nodeId, queue);
    }
  }

  private final Map<String, Set<String>> boundQueues = new ConcurrentHashMap<>();
}

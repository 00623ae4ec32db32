package dev.alpharen.arsrv.broker;

import dev.alpharen.arwadm.BrokerView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * This node's broker as the admin API and metrics show it. Rates come from {@link #sample()},
 * which the node calls every few seconds; depth and age are read when asked. Thread-safe.
 */
public final class BrokerStatus implements BrokerView {
  private final EmbeddedBroker broker;
  private final Map<String, Sample> last = new ConcurrentHashMap<>();
  private final Map<String, double[]> rates = new ConcurrentHashMap<>();

  public BrokerStatus(EmbeddedBroker broker) {
    this.broker = broker;
  }

  private record Sample(long added, long acknowledged, long nanos) {}

  /**
   * Publishes each queue's depth, bound, rates and oldest message age as gauges ({@code
   * alpharen_queue_*} on {@code /metrics}), refreshed by {@link #sample()}.
   */
  public void bindTo(MeterRegistry registry) {
    for (String name : List.of("messages", "max_messages", "rate_in", "rate_out",
        "oldest_message_age_seconds", "consumers")) {
      gauges.put(name, MultiGauge.builder("alpharen.queue." + name)
          .description("per queue on this node's broker: " + name.replace('_', ' '))
          .register(registry));
    }
  }

  private final Map<String, MultiGauge> gauges = new ConcurrentHashMap<>();

  /** Takes one sample of every queue's counters; rates are per second since the previous one. */
  public void sample() {
    try {
      sampleCounters();
      if (!gauges.isEmpty()) {
        publishGauges();
      }
    } catch (RuntimeException e) {
      // The broker is stopping or failing over; the next sample catches up.
    }
  }

  private void publishGauges() {
    List<Map<String, Object>> queues = queues();
    Map<String, String> keys = Map.of("messages", "messages", "max_messages", "maxMessages",
        "rate_in", "ratePerSecondIn", "rate_out", "ratePerSecondOut", "consumers", "consumers");
    gauges.forEach((gauge, multi) -> multi.register(queues.stream().map(q -> {
      Object value = gauge.equals("oldest_message_age_seconds")
          ? (q.get("oldestMessageAgeMs") == null ? 0.0 : ((Number) q.get("oldestMessageAgeMs"))
              .doubleValue() / 1000)
          : q.get(keys.get(gauge));
      double v = ((Number) value).doubleValue();
      return MultiGauge.Row.of(Tags.of("queue", String.valueOf(q.get("name"))), v);
    }).toList(), true));
  }

  private void sampleCounters() {
    long now = System.nanoTime();
    long before = lastRound;
    for (Queue queue : userQueues()) {
      String name = queue.getName().toString();
      Sample current = new Sample(queue.getMessagesAdded(), queue.getMessagesAcknowledged(), now);
      Sample previous = last.put(name, current);
      if (previous == null && before != 0) {
        // created since the last round, with nothing in or out then: a first burst counts too
        previous = new Sample(0, 0, before);
      }
      if (previous != null && now > previous.nanos()) {
        double seconds = (now - previous.nanos()) / 1e9;
        rates.put(name, new double[] {
            Math.max(0, current.added() - previous.added()) / seconds,
            Math.max(0, current.acknowledged() - previous.acknowledged()) / seconds});
      }
    }
    lastRound = now;
  }

  private volatile long lastRound; // System.nanoTime() of the previous sample; 0 before the first

  /** The user queues of this node's broker (not Artemis's internal store-and-forward ones). */
  public List<Queue> userQueues() {
    if (!broker.server().isActive()) {
      return List.of();
    }
    return broker.localQueues()
        .filter(q -> !q.isInternalQueue()
            && !q.getName().toString().startsWith(EmbeddedBroker.INTERNAL_PREFIX)
            && !q.getAddress().toString().startsWith("activemq.notifications"))
        .sorted(Comparator.comparing(q -> q.getName().toString()))
        .toList();
  }

  /** Messages waiting in this node's user queues. */
  public long depth() {
    return userQueues().stream().mapToLong(Queue::getMessageCount).sum();
  }

  /**
   * Messages in this broker's store-and-forward queues: taken from producers here, waiting for a
   * cluster bridge to move them to a queue on a peer. They are in this node's journal until then.
   */
  long inTransit() {
    if (!broker.server().isActive()) {
      return 0;
    }
    return broker.localQueues()
        .filter(q -> q.getName().toString().startsWith(EmbeddedBroker.INTERNAL_PREFIX + "sf."))
        .mapToLong(Queue::getMessageCount).sum();
  }

  @Override
  public Map<String, Object> status() {
    ActiveMQServer server = broker.server();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("node", server.getConfiguration().getName());
    status.put("brokerId", String.valueOf(server.getNodeID()));
    status.put("active", server.isActive());
    status.put("port", broker.port());
    status.put("peers", server.isActive() ? broker.clusterPeers() : List.of());
    status.put("replicated", replicated(server));
    List<Map<String, Object>> backups = new ArrayList<>();
    broker.backups().forEach((name, backup) -> {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("name", name);
      b.put("brokerId", String.valueOf(backup.getNodeID()));
      b.put("state", String.valueOf(backup.getState()));
      b.put("active", backup.isActive());
      // A replica being set up has no activation yet, and Artemis then throws instead of saying no.
      b.put("replicaSynced", backup instanceof ActiveMQServerImpl impl
          && impl.getActivation() != null && backup.isReplicaSync());
      backups.add(b);
    });
    status.put("backups", backups);
    status.put("messages", depth());
    status.put("inTransit", inTransit());
    return status;
  }

  /** Whether a replica on a peer holds an up-to-date copy of this broker's journal. */
  static boolean replicated(ActiveMQServer server) {
    var replication = server.isActive() ? server.getReplicationManager() : null;
    return replication != null && replication.isStarted() && !replication.isSynchronizing();
  }

  @Override
  public List<Map<String, Object>> queues() {
    long now = System.currentTimeMillis();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Queue queue : userQueues()) {
      String name = queue.getName().toString();
      AddressSettings settings = broker.server().getAddressSettingsRepository()
          .getMatch(queue.getAddress().toString());
      MessageReference first = queue.peekFirstMessage();
      double[] rate = rates.getOrDefault(name, new double[2]);
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("name", name);
      q.put("address", queue.getAddress().toString());
      q.put("routing", String.valueOf(queue.getRoutingType()));
      q.put("durable", queue.isDurable());
      q.put("messages", queue.getMessageCount());
      q.put("bytes", queue.getPersistentSize());
      q.put("delivering", queue.getDeliveringCount());
      q.put("scheduled", queue.getScheduledCount());
      q.put("consumers", queue.getConsumerCount());
      q.put("maxMessages", settings.getMaxSizeMessages());
      q.put("maxBytes", settings.getMaxSizeBytes());
      q.put("fullPolicy", String.valueOf(settings.getAddressFullMessagePolicy()));
      q.put("added", queue.getMessagesAdded());
      q.put("acknowledged", queue.getMessagesAcknowledged());
      q.put("ratePerSecondIn", Math.round(rate[0] * 10) / 10.0);
      q.put("ratePerSecondOut", Math.round(rate[1] * 10) / 10.0);
      q.put("oldestMessageAgeMs", first == null ? null
          : Math.max(0, now - first.getMessage().getTimestamp()));
      out.add(q);
    }
    return out;
  }
}

package dev.alpharen.arclst;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link ClusterEvent}s to every node over the Hazelcast topic {@code alpharen.events}:
 * each subscriber on every member receives every event, in publishing order per publishing member.
 * Delivery is best effort (a member that is down misses the events). Thread-safe.
 */
public final class ClusterEvents implements AutoCloseable {
  /** The name of the Hazelcast topic carrying the events. */
  public static final String TOPIC = "alpharen.events";

  private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

  private final HazelcastInstance hazelcast;
  private final ITopic<ClusterEvent> topic;
  private final Set<UUID> subscriptions = ConcurrentHashMap.newKeySet();

  public ClusterEvents(HazelcastInstance hazelcast) {
    this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
    this.topic = hazelcast.getTopic(TOPIC);
  }

  /** Sends {@code event} to every subscriber in the cluster, this member's included. */
  public void publish(ClusterEvent event) {
    topic.publish(Objects.requireNonNull(event, "event"));
  }

  /**
   * Calls {@code subscriber} with every event published in the cluster from now on, on a Hazelcast
   * event thread.
   *
   * @return closing it ends the subscription
   */
  public AutoCloseable subscribe(Consumer<ClusterEvent> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    UUID id = topic.addMessageListener(message -> {
      ClusterEvent event = message.getMessageObject();
      try {
        subscriber.accept(event);
      } catch (RuntimeException e) {
        log.warn("cluster event subscriber failed on {}; it still gets later events", event, e);
      }
    });
    subscriptions.add(id);
    return () -> unsubscribe(id);
  }

  /** Ends every subscription made through this object. */
  @Override
  public void close() {
    subscriptions.forEach(this::unsubscribe);
  }

  private void unsubscribe(UUID id) {
    if (subscriptions.remove(id) && hazelcast.getLifecycleService().isRunning()) {
      topic.removeMessageListener(id);
    }
  }
}

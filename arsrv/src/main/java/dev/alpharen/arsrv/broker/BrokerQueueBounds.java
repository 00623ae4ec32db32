package dev.alpharen.arsrv.broker;

import dev.alpharen.arsrv.runtime.QueueBounds;
import dev.alpharen.arsrv.runtime.QueuePolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.paging.PagingStore;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.utils.runnables.AtomicRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrations' own queue bounds as address settings of one broker, and the wait of a route's send
 * for room in a full {@code BLOCK} queue. Thread-safe.
 */
final class BrokerQueueBounds implements QueueBounds {
  private static final Logger log = LoggerFactory.getLogger(BrokerQueueBounds.class);

  private final ActiveMQServer server;
  private final String nodeId;
  private final Duration blockTimeout;

  /** @param blockTimeout the longest a route's send waits for room ({@code broker.blockTimeout}) */
  BrokerQueueBounds(ActiveMQServer server, String nodeId, Duration blockTimeout) {
    this.server = server;
    this.nodeId = nodeId;
    this.blockTimeout = blockTimeout;
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

  /**
   * Refuses a send to a full {@code FAIL} queue at once, and waits, through the address's own
   * paging store, until a full {@code BLOCK} queue has room: the store runs the waiter when
   * consumers have freed space, as it does for the credits of external producers. The node's
   * routes send without producer flow control, so this is what holds them under {@code BLOCK};
   * sends released together can pass the bound by the number of them, never more (the broker
   * still refuses what a {@code FAIL} queue has no room for).
   */
  @Override
  public boolean awaitRoom(String queue) throws InterruptedException {
    PagingStore store = boundedStore(queue);
    if (store == null) {
      return true;
    }
    if (store.getAddressFullMessagePolicy() == AddressFullMessagePolicy.FAIL) {
      return !atBound(queue, store);
    }
    if (!store.isFull()) {
      return true;
    }
    CountDownLatch room = new CountDownLatch(1);
    AtomicReference<AtomicRunnable> waiter = new AtomicReference<>();
    store.checkMemory(room::countDown, waiter::set);
    if (room.await(blockTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return true;
    }
    AtomicRunnable left = waiter.get();
    if (left != null) {
      left.cancel(); // off the store's list, so waits that timed out do not pile up there
    }
    log.debug("broker {}: queue {} still full after {}; refusing a route's send", nodeId, queue,
        blockTimeout);
    return false;
  }

  /**
   * Whether one more message would take {@code queue} past a bound: the store's own
   * {@link PagingStore#isFull} turns true only once a bound is passed, which a {@code FAIL} queue
   * never allows, so at its bound every send would reach the broker to be refused there.
   */
  private boolean atBound(String queue, PagingStore store) {
    long maxMessages = server.getAddressSettingsRepository().getMatch(queue).getMaxSizeMessages();
    return store.isFull() || maxMessages > 0 && store.getAddressElements() >= maxMessages
        || store.getMaxSize() > 0 && store.getAddressSize() >= store.getMaxSize();
  }

  /** The paging store of {@code queue}'s address if it exists and blocks or fails when full. */
  private PagingStore boundedStore(String queue) {
    SimpleString address = SimpleString.of(queue);
    try {
      if (!server.isActive() || server.getPostOffice().getAddressInfo(address) == null) {
        return null; // a new queue is empty; a stopping broker refuses the send itself
      }
      PagingStore store = server.getPagingManager().getPageStore(address);
      return store != null && (store.getAddressFullMessagePolicy() == AddressFullMessagePolicy.BLOCK
          || store.getAddressFullMessagePolicy() == AddressFullMessagePolicy.FAIL) ? store : null;
    } catch (Exception e) {
      log.debug("broker {}: no paging store for {}: {}", nodeId, queue, e.toString());
      return null;
    }
  }

  private final Map<String, Set<String>> boundQueues = new ConcurrentHashMap<>();
}

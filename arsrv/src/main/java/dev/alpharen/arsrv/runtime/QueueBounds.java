package dev.alpharen.arsrv.runtime;

import java.util.Set;

/**
 * Where an integration's {@link QueuePolicy} takes effect: the node's broker. The runtime calls it
 * on this node whenever it starts a version of an integration and when it removes one.
 * Implementations are thread-safe and must not throw.
 */
public interface QueueBounds {
  /** Nothing to bound: a runtime without a broker. */
  QueueBounds NONE = new QueueBounds() {
    @Override
    public void apply(String integration, Set<String> queues, QueuePolicy policy) {
    }

    @Override
    public void release(String integration) {
    }
  };

  /**
   * Bounds {@code queues} by {@code policy} for {@code integration}, replacing what an earlier
   * version of it set; queues it no longer names go back to the cluster defaults.
   */
  void apply(String integration, Set<String> queues, QueuePolicy policy);

  /** Puts the queues {@code integration} bounded back to the cluster defaults. */
  void release(String integration);
}

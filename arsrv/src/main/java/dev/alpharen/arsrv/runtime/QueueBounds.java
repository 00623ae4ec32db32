package dev.alpharen.arsrv.runtime;

import java.util.Set;

/**
 * Where an integration's {@link QueuePolicy} takes effect: the node's broker. The runtime calls it
 * on this node whenever it starts a version of an integration and when it removes one, and before
 * each send of a route to a queue. Implementations are thread-safe; only {@link #awaitRoom} may
 * throw, and only when interrupted.
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

    @Override
    public boolean awaitRoom(String queue) {
      return true;
    }
  };

  /**
   * Bounds {@code queues} by {@code policy} for {@code integration}, replacing what an earlier
   * version of it set; queues it no longer names go back to the cluster defaults.
   */
  void apply(String integration, Set<String> queues, QueuePolicy policy);

  /** Puts the queues {@code integration} bounded back to the cluster defaults. */
  void release(String integration);

  /**
   * Whether a send to {@code queue} may go ahead: at once if the queue is not full; never, and at
   * once, if it is full and its policy is {@code FAIL} (refused before it reaches the broker, which
   * would refuse it too, at the cost of an exception and an error line per send); if it is full
   * and its policy is {@code BLOCK}, once it has room, waiting at most the broker's block timeout.
   *
   * @return false if the queue is full (still, for {@code BLOCK}): the send must be refused
   * @throws InterruptedException if the waiting thread is interrupted
   */
  boolean awaitRoom(String queue) throws InterruptedException;
}

package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.NodeStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a node out of service with no failed request: it turns DRAINING (readiness 503, so
 * proxies and load balancers stop sending new work) but keeps serving for the drain grace period,
 * so that callers notice before anything is refused; then it hands over and stops the node through
 * {@code onDrained} (which finishes in-flight work, leaves the cluster and exits). Thread-safe;
 * a second request while draining is ignored.
 */
final class Drain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  private final NodeDirectory directory;
  private final Readiness readiness;
  private final Duration grace;
  private final Runnable onDrained;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final List<Runnable> handOvers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "node-drain");
        t.setDaemon(true);
        return t;
      });

  Drain(NodeDirectory directory, Readiness readiness, Duration grace, Runnable onDrained) {
    this.directory = directory;
    this.readiness = readiness;
    this.grace = grace;
    this.onDrained = onDrained;
  }

  /**
   * Adds a hand-over step, run in order once the grace period is over and before the node stops
   * (for example: stop consuming, move queued messages to the cluster). A step that fails is
   * logged and the next one runs.
   */
  void beforeStop(Runnable handOver) {
    handOvers.add(handOver);
  }

  /** Starts draining; returns at once. */
  void begin() {
    if (!begun.compareAndSet(false, true)) {
      return;
    }
    readiness.notReady("node", "draining");
    directory.setStatus(NodeStatus.DRAINING);
    log.info("node {} draining: not ready from now on, serving for {} more (node.drainGrace)"
        + " before it stops", directory.self().id(), grace);
    scheduler.schedule(this::finish, grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finish() {
    for (Runnable handOver : handOvers) {
      try {
        handOver.run();
      } catch (RuntimeException e) {
        log.warn("node {}: a drain hand-over step failed: {}", directory.self().id(), e.toString());
      }
    }
    log.info("node {} drained; stopping", directory.self().id());
    new Thread(onDrained, "node-stop").start();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}

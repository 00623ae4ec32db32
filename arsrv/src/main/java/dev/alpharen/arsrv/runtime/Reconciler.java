package dev.alpharen.arsrv.runtime;

import com.hazelcast.map.IMap;
import dev.alpharen.arclst.Versioned;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.Severity;
import dev.alpharen.arclst.VersionedRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's Camel routes equal to the cluster's integration registry: adds what is new,
 * swaps what changed (HTTP requests wait for the swap instead of failing, exchanges in flight
 * finish), removes what was deleted or stopped, and publishes the result on the
 * {@link StatusBoard}. It runs on its own thread at once on every registry change and every second
 * as well, so a node that joins late, or missed an event, converges. A version that fails to
 * deploy here is reported and not retried until the integration changes or is restarted.
 * {@link #runOnce()} is the step; not thread-safe apart from {@link #trigger()}.
 */
final class Reconciler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  private static final long PERIOD_MS = 1000;

  private final VersionedRegistry registry;
  private final IMap<String, Boolean> stopped;
  private final CamelRuntime runtime;
  private final StatusBoard board;
  private final String nodeId;
  private final Runnable onFirstRun;
  private final ActivityRecorder activities;
  private final Map<String, Deployed> deployed = new HashMap<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final List<AutoCloseable> listeners = new ArrayList<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "integration-reconciler");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.CountDownLatch firstRun =
      new java.util.concurrent.CountDownLatch(1);
  private boolean ranOnce;

  /** What this node runs of one integration. */
  private record Deployed(long version, List<String> routeIds, boolean stopped, String error) {}

  /**
   * @param stopped the integrations users stopped, by name
   * @param onFirstRun called once the first step finished (the node may turn ready)
   * @param activities where this node's integration changes are recorded
   */
  Reconciler(VersionedRegistry registry, IMap<String, Boolean> stopped, CamelRuntime runtime,
      StatusBoard board, String nodeId, Runnable onFirstRun, ActivityRecorder activities) {
    this.activities = activities;
    this.registry = registry;
    this.stopped = stopped;
    this.runtime = runtime;
    this.board = board;
    this.nodeId = nodeId;
    this.onFirstRun = onFirstRun;
  }

  /** Starts following the registry. */
  Reconciler start() {
    listeners.add(registry.addListener(v -> trigger()));
    UUID id = stopped.addEntryListener(
        (com.hazelcast.map.listener.EntryAddedListener<String, Boolean>) e -> trigger(), false);
    UUID removed = stopped.addEntryListener(
        (com.hazelcast.map.listener.EntryRemovedListener<String, Boolean>) e -> trigger(), false);
    listeners.add(() -> {
      stopped.removeEntryListener(id);
      stopped.removeEntryListener(removed);
    });
    thread.scheduleWithFixedDelay(this::runGuarded, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Waits until the first step has finished; false if it did not within {@code timeout}. */
  boolean awaitFirstRun(java.time.Duration timeout) throws InterruptedException {
    return firstRun.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks for a step soon, on the reconciler's thread; coalesces bursts. */
  void trigger() {
    if (queued.compareAndSet(false, true)) {
      try {
        thread.execute(() -> {
          queued.set(false);
          runGuarded();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        queued.set(false); // closing
      }
    }
  }

  private void runGuarded() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn("node {}: reconciling integrations failed: {}; retrying in {} ms", nodeId,
          e.toString(), PERIOD_MS);
    }
  }

  /** One step: make the routes match the registry, publish the states. */
  void runOnce() {
    Map<String, Versioned> desired = new LinkedHashMap<>();
    registry.list().forEach(v -> desired.put(v.name(), v));
    Set<String> stoppedNames = new HashSet<>(stopped.keySet());
    for (String name : new ArrayList<>(deployed.keySet())) {
      if (!desired.containsKey(name)) {
        undeploy(name);
        deployed.remove(name);
        log.info("node {}: integration {} removed", nodeId, name);
        record(ActivityType.INTEGRATION_REMOVED, Severity.NOTICE, name, "integration removed",
            Map.of());
      }
    }
    for (Versioned v : desired.values()) {
      Deployed now = deployed.get(v.name());
      boolean wantStopped = stoppedNames.contains(v.name());
      if (wantStopped) {
        if (now == null || !now.stopped() || now.version() != v.version()) {
          undeploy(v.name());
          deployed.put(v.name(), new Deployed(v.version(), List.of(), true, null));
          log.info("node {}: integration {} version {} stopped", nodeId, v.name(), v.version());
          record(ActivityType.INTEGRATION_STOPPED, Severity.NOTICE, v.name(), "integration"
              + " version " + v.version() + " stopped", Map.of("version", v.version()));
        }
      } else if (now == null || now.stopped() || now.version() != v.version()) {
        deployed.put(v.name(), deploy(v, now));
      }
    }
    board.publish(states());
    if (!ranOnce) {
      ranOnce = true;
      onFirstRun.run();
      firstRun.countDown();
    }
  }

  private Deployed deploy(Versioned v, Deployed previous) {
    long started = System.nanoTime();
    try {
      IntegrationSpec spec = IntegrationSpec.fromJson(v.name(), v.content());
      List<String> ids = runtime.swap(() -> {
        runtime.removeIntegration(v.name());
        return runtime.add(spec);
      });
      boolean fresh = previous == null || previous.stopped();
      long ms = (System.nanoTime() - started) / 1_000_000;
      log.info("node {}: integration {} version {} {} in {} ms ({} route(s))", nodeId, v.name(),
          v.version(), fresh ? "deployed" : "swapped in", ms, ids.size());
      record(fresh ? ActivityType.INTEGRATION_STARTED : ActivityType.INTEGRATION_UPDATED,
          Severity.INFO, v.name(), "integration version " + v.version()
              + (fresh ? " started" : " swapped in") + " (" + ids.size() + " route(s), " + ms
              + " ms)", Map.of("version", v.version(), "author", String.valueOf(v.updatedBy())));
      return new Deployed(v.version(), ids, false, null);
    } catch (Exception e) {
      String error = ErrorLocator.locate(e, "").getMessage();
      log.error("node {}: integration {} version {} failed to deploy: {}", nodeId, v.name(),
          v.version(), error);
      record(ActivityType.INTEGRATION_FAILED, Severity.ERROR, v.name(), "integration version "
          + v.version() + " failed to deploy: " + error, Map.of("version", v.version()));
      undeploy(v.name());
      return new Deployed(v.version(), List.of(), false, error);
    }
  }

  /** Removes every route of the integration from this node's context. */
  private void undeploy(String name) {
    try {
      runtime.swap(() -> {
        runtime.removeIntegration(name);
        return null;
      });
    } catch (Exception e) {
      log.warn("node {}: removing integration {} failed: {}", nodeId, name, e.toString());
    }
  }

  private void record(ActivityType type, Severity severity, String integration, String message,
      Map<String, Object> details) {
    activities.record(type, severity, ActivityRecorder.Scope.integration(integration), message,
        details);
  }

  private Map<String, Map<String, Object>> states() {
    Map<String, Map<String, Object>> states = new LinkedHashMap<>();
    deployed.forEach((name, d) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("version", d.version());
      if (d.error() != null) {
        s.put("state", "failed");
        s.put("error", d.error());
      } else if (d.stopped()) {
        s.put("state", "stopped");
      } else {
        s.put("state", "running");
        runtime.leader(name).ifPresent(l -> s.put("leader", l.nodeId()));
      }
      states.put(name, s);
    });
    return states;
  }

  @Override
  public void close() {
    for (AutoCloseable l : listeners) {
      try {
        l.close();
      } catch (Exception e) {
        log.debug("closing a registry listener failed: {}", e.toString());
      }
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

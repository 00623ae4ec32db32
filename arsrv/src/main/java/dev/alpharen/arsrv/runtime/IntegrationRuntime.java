package dev.alpharen.arsrv.runtime;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.VersionedRegistry;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.Capture;
import dev.alpharen.arwadm.IntegrationRejectedException;
import dev.alpharen.arwadm.Integrations;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integration runtime of one node, issue #4: the cluster registry of integrations
 * ({@value IntegrationService#NAMESPACE}), this node's Camel runtime, the reconciler that keeps
 * the two equal, the status board, and the admin API's view of them. Start it once the node has
 * joined its cluster; it serves integration endpoints through {@link #router()}. Thread-safe.
 */
public final class IntegrationRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntegrationRuntime.class);
  private static final String STOPPED = "alpharen.integrations.stopped";
  private static final java.time.Duration FIRST_RUN = java.time.Duration.ofSeconds(30);

  private final VersionedRegistry registry;
  private final CamelRuntime camel;
  private final StatusBoard board;
  private final IntegrationService service;
  private final Reconciler reconciler;

  /**
   * What the runtime uses of the node.
   *
   * @param hazelcast the node's cluster member
   * @param directory the node directory (who is a member)
   * @param events where deploys are announced
   * @param meters the node's metrics, served on {@code /metrics}
   * @param stateDir where the registry keeps this node's disk copy
   * @param deadLetters where exchanges go after their retries
   * @param beans what the node binds in every integration's registry
   * @param queueBounds where integrations' own queue bounds take effect
   * @param activities where integration changes and captured exchanges are recorded
   * @param capture which exchanges become activities for integrations that do not say
   */
  public record NodeParts(HazelcastInstance hazelcast, NodeDirectory directory,
      ClusterEvents events, MeterRegistry meters, Path stateDir, DeadLetterSink deadLetters,
      Map<String, Object> beans, QueueBounds queueBounds, ActivityRecorder activities,
      Capture capture) {
    public NodeParts {
      beans = Map.copyOf(beans);
    }

    /** Parts with no broker and that record no activities. */
    public NodeParts(HazelcastInstance hazelcast, NodeDirectory directory, ClusterEvents events,
        MeterRegistry meters, Path stateDir, DeadLetterSink deadLetters,
        Map<String, Object> beans) {
      this(hazelcast, directory, events, meters, stateDir, deadLetters, beans, QueueBounds.NONE,
          ActivityRecorder.none(), Capture.FAILURES);
    }

    /** Parts with no node-provided beans, no broker and no activities. */
    public NodeParts(HazelcastInstance hazelcast, NodeDirectory directory, ClusterEvents events,
        MeterRegistry meters, Path stateDir, DeadLetterSink deadLetters) {
      this(hazelcast, directory, events, meters, stateDir, deadLetters, Map.of());
    }
  }

  private IntegrationRuntime(VersionedRegistry registry, CamelRuntime camel, StatusBoard board,
      IntegrationService service, Reconciler reconciler) {
    this.registry = registry;
    this.camel = camel;
    this.board = board;
    this.service = service;
    this.reconciler = reconciler;
  }

  /**
   * Opens the registry, stores the files of {@code integrationsDir} that differ from it, and starts
   * reconciling.
   *
   * @param integrationsDir YAML files to deploy at start, if configured
   * @param eligible whether this node may lead singletons now (it is ready)
   * @param onFirstReconcile called once this node runs what the registry holds; this method
   *     waits for that (at most 30 s)
   * @throws IntegrationRejectedException for the first invalid file, naming it
   */
  public static IntegrationRuntime start(NodeParts node, Optional<Path> integrationsDir,
      BooleanSupplier eligible, Runnable onFirstReconcile)
      throws IntegrationRejectedException, IOException {
    HazelcastInstance hz = node.hazelcast();
    String nodeId = node.directory().self().id();
    VersionedRegistry registry = VersionedRegistry.open(hz, IntegrationService.NAMESPACE,
        node.stateDir(), Clock.systemUTC());
    List<AutoCloseable> opened = new ArrayList<>(List.of(registry));
    try {
      int restored = registry.restoreFromDisk();
      if (restored > 0) {
        log.info("node {} restored {} integration(s) from its disk copy", nodeId, restored);
      }
      CamelRuntime camel = new CamelRuntime(hz, nodeId, new HttpRouter(), node.meters(),
          eligible, node.deadLetters(), node.activities(), node.capture());
      camel.bindBeans(node.beans());
      camel.bindQueueBounds(node.queueBounds());
      opened.add(camel);
      StatusBoard board = new StatusBoard(hz, nodeId);
      opened.add(board);
      IMap<String, Boolean> stopped = hz.getMap(STOPPED);
      IntegrationService service = new IntegrationService(registry, stopped, camel, board,
          () -> node.directory().snapshot().members().stream().map(MemberInfo::id).toList(),
          node.events(), node.activities());
      if (integrationsDir.isPresent()) {
        deployFiles(integrationsDir.get(), service, registry, nodeId);
      }
      Reconciler reconciler = new Reconciler(registry, stopped, camel, board, nodeId,
          onFirstReconcile, node.activities()).start();
      opened.add(reconciler);
      // the node reports ready with its integrations running, unless that takes very long
      if (!reconciler.awaitFirstRun(FIRST_RUN)) {
        log.warn("node {} has not deployed its integrations after {} s; starting anyway, not"
            + " ready until it has", nodeId, FIRST_RUN.toSeconds());
      }
      return new IntegrationRuntime(registry, camel, board, service, reconciler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(opened, e);
      throw new IOException("interrupted while deploying integrations", e);
    } catch (IntegrationRejectedException | IOException | RuntimeException e) {
      closeAll(opened, e);
      throw e;
    }
  }

  /** Closes what was opened, newest first, keeping failures with {@code cause}. */
  private static void closeAll(List<AutoCloseable> opened, Exception cause) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception suppressed) {
        cause.addSuppressed(suppressed);
      }
    }
  }

  /** Stores each {@code *.yaml} file of the directory whose content the registry lacks. */
  private static void deployFiles(Path dir, IntegrationService service,
      VersionedRegistry registry, String nodeId) throws IntegrationRejectedException, IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("integrations.dir " + dir + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString().replaceFirst("(\\.camel)?\\.ya?ml$", "");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      IntegrationSpec spec;
      try {
        spec = service.check(name, text, Map.of());
      } catch (IntegrationRejectedException e) {
        throw new IntegrationRejectedException(file + ":" + e.line() + ":" + e.column() + ": "
            + e.getMessage(), e.line(), e.column());
      }
      storeIfChanged(registry, name, spec.toJson(), "node " + nodeId + " from "
          + file.getFileName()).ifPresent(version -> log.info("node {} deployed integration {}"
          + " version {} from {}", nodeId, name, version, file));
    }
  }

  /**
   * Stores {@code content} as the next version of {@code name} unless that is its content already;
   * compare-and-set, so that nodes starting together with the same file store it once.
   *
   * @return the version written, or empty if none was needed
   */
  private static Optional<Long> storeIfChanged(VersionedRegistry registry, String name,
      String content, String author) {
    for (int attempt = 0; ; attempt++) {
      Optional<dev.alpharen.arclst.Versioned> current = registry.get(name);
      if (current.isPresent() && current.get().content().equals(content)) {
        return Optional.empty();
      }
      long expected = current.map(dev.alpharen.arclst.Versioned::version).orElse(0L);
      try {
        return Optional.of(registry.put(name, content, expected, author).version());
      } catch (dev.alpharen.arclst.VersionConflictException e) {
        if (attempt >= 5) {
          throw new IllegalStateException("integration " + name + " kept changing while this"
              + " node stored its file: " + e.getMessage(), e);
        }
      }
    }
  }

  /** The admin API's view of the integrations. */
  public Integrations api() {
    return service;
  }

  /** Serves the integrations' HTTP endpoints; mount it on the node's HTTP server. */
  public HttpRouter router() {
    return camel.router();
  }

  /** Stops reconciling and the Camel runtime (exchanges in flight finish); withdraws the states. */
  @Override
  public void close() {
    reconciler.close();
    camel.close();
    board.close();
    registry.close();
  }
}

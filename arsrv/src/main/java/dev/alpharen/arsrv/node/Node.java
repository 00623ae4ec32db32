package dev.alpharen.arsrv.node;

import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.ClusterVariables;
import dev.alpharen.arclst.NodeVariables;
import dev.alpharen.arclst.VersionedRegistry;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.MemberSettings;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.NodePorts;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.HealthMonitor;
import dev.alpharen.arhav.NodePicker;
import dev.alpharen.arhav.PeakEwmaPicker;
import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.probe.ProbeHandler;
import dev.alpharen.arsrv.activity.Activities;
import dev.alpharen.arsrv.activity.Activity;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.ClusterActivities;
import dev.alpharen.arsrv.activity.Severity;
import dev.alpharen.arsrv.broker.BrokerStatus;
import dev.alpharen.arsrv.broker.ClusterCredential;
import dev.alpharen.arsrv.broker.EmbeddedBroker;
import dev.alpharen.arsrv.broker.HazelcastBroadcast;
import dev.alpharen.arsrv.broker.ReplicaStandDown;
import dev.alpharen.arsrv.config.NodeConfig;
import dev.alpharen.arsrv.http.NodeHttpServer;
import dev.alpharen.arsrv.runtime.ClusterDeadLetters;
import dev.alpharen.arsrv.runtime.DeadLetterSink;
import dev.alpharen.arsrv.runtime.IntegrationRuntime;
import dev.alpharen.arwadm.IntegrationRejectedException;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.alpharen.arwadm.AdminApi;
import dev.alpharen.arwadm.BasicAuthHandler;
import dev.alpharen.arwadm.VariableScopes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ALPHA-REN node: starts its components in dependency order (data directory lock, HTTP server,
 * cluster member, node directory, integration runtime, admin API) and stops them in reverse. Not
 * thread-safe: one thread starts it, one closes it (closing twice is harmless).
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  /** How stale the picker's reading of members and health may be (far below node.drainGrace). */
  private static final Duration PICKER_REFRESH = Duration.ofMillis(100);
  /** How fast a latency peak fades in the picker: 1 s, so one slow answer costs a node little. */
  private static final Duration PICKER_DECAY = Duration.ofSeconds(1);

  private final NodeConfig config;
  private final Path dataDir;
  private final String version;
  private final Readiness readiness = new Readiness();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "node-housekeeping");
        t.setDaemon(true);
        return t;
      });
  private NodeHttpServer http;
  private volatile NodeDirectory directory;
  private volatile NodePicker picker;
  private volatile HealthMonitor monitor;
  private EdgeRoles edge;
  private int brokerPort;
  private volatile EmbeddedBroker broker;
  private volatile ReplicaStandDown standDown;
  private volatile Activities activities;

  /**
   * @param config the node's configuration
   * @param version the software version the node reports
   */
  public Node(NodeConfig config, String version) {
    this.config = config;
    this.dataDir = Path.of(config.node().dataDir()).toAbsolutePath().normalize();
    this.version = version;
  }

  /**
   * Starts every component; on failure, stops what had started and throws.
   *
   * @param onDrained run once a drain of this node has finished and it should exit
   */
  public void start(Runnable onDrained) throws StartupException {
    long startNanos = System.nanoTime();
    try {
      started.push(DataDirLock.acquire(dataDir));
      activities = Activities.start(config.activities(), dataDir, config.cluster().name(),
          config.node().id(), Clock.systemUTC());
      started.push(activities); // closed last: it writes what everything else recorded
      readiness.detail("activities", activities::details);
      String adminPassword = AdminPassword.resolve(config.security().adminPassword(), dataDir);
      readiness.notReady("cluster", "joining cluster '" + config.cluster().name() + "'");
      http = NodeHttpServer.start(config.http().host(), config.http().port(), readiness,
          config.node().id());
      started.push(http);
      ClusterMember cluster = startClusterMember();
      started.push(cluster);
      HazelcastInstance hz = cluster.hazelcast();
      started.push(SeedGate.open(hz, readiness, otherSeeds(hz), config.cluster().join().dns(),
          config.cluster().name()));
      picker = new PeakEwmaPicker(this::view, this::healthOf, PICKER_DECAY,
          PICKER_REFRESH, System::nanoTime);
      // This node is the nearest of all until real requests measure it.
      picker.observe(config.node().id(), Duration.ofNanos(100_000));
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      meters.config().commonTags("node", config.node().id());
      edge = EdgeRoles.start(config, this::view, picker, meters);
      started.push(edge);
      brokerPort = Ports.resolve(config.broker().host(), config.broker().port(), "broker.port");
      ClusterEvents events = new ClusterEvents(hz);
      started.push(events);
      directory = NodeDirectory.publish(hz, config.cluster().name(),
          descriptor(NodeStatus.JOINING), events);
      started.push(directory);
      VersionedRegistry configEntries = VersionedRegistry.open(hz, "config",
          dataDir.resolve("state"), Clock.systemUTC());
      started.push(configEntries);
      int restored = configEntries.restoreFromDisk();
      broker = startBroker(hz);
      BrokerStatus brokerStatus = new BrokerStatus(broker);
      brokerStatus.sample(); // the baseline: queues from the journal; later ones count from 0
      housekeeping.scheduleWithFixedDelay(brokerStatus::sample, 2, 2, TimeUnit.SECONDS);
      NodeVariables nodeVariables = new NodeVariables(Clock.systemUTC());
      housekeeping.scheduleWithFixedDelay(nodeVariables::runOnce, 5, 5, TimeUnit.SECONDS);
      HealthMonitor health = new HealthMonitor(hz, directory, config.hav().probeSettings(),
          Clock.systemUTC());
      started.push(health);
      monitor = health;
      health.onRoundTrip(picker::observe);
      http.mountProbes(new ProbeHandler(health::probeFor));
      readiness.watch("rejoin", health::notReadyReason);
      health.start();
      ClusterActivityWatch watch = new ClusterActivityWatch(activities, directory, events, health,
          readiness::isReady);
      started.push(watch);
      housekeeping.scheduleWithFixedDelay(watch::runGuarded, 1, 1, TimeUnit.SECONDS);
      IntegrationRuntime integrations = startIntegrations(hz, events, brokerStatus, meters);
      http.mountApi(new BasicAuthHandler(new AdminAudit(new AdminApi(directory, configEntries,
          events, new VariableScopes(new ClusterVariables(hz), nodeVariables), health, picker,
          brokerStatus).withIntegrations(integrations.api())
          .withDeadLetters(new ClusterDeadLetters(directory, broker.internalUser(),
              broker.internalPassword(), activities))
          .withActivities(new ClusterActivities(hz, activities)), activities, "admin"), "admin",
          adminPassword));
      Drain drain = new Drain(directory, readiness, config.node().drainGrace(), onDrained);
      started.push(drain);
      drain.beforeStop(this::handOverMessages);
      directory.onCommand(command -> {
        if (NodeDirectory.DRAIN.equals(command)) {
          activities.record(ActivityType.NODE_DRAINING, Severity.NOTICE, "node "
              + config.node().id() + " is draining: handing over its work before it stops");
          drain.begin();
        }
      });
      directory.setStatus(NodeStatus.ACTIVE);
      readiness.ready("cluster");
      String clusterAddress = config.cluster().host() + ":"
          + cluster.hazelcast().getCluster().getLocalMember().getAddress().getPort();
      new NodeReport(config.node().id(), ProcessHandle.current().pid(), http.baseUrl(),
          clusterAddress, Instant.now()).write(dataDir);
      activities.record(ActivityType.NODE_STARTED, Severity.NOTICE, ActivityRecorder.Scope.NONE,
          "node " + config.node().id() + " " + version + " started in "
              + (System.nanoTime() - startNanos) / 1_000_000 + " ms",
          Activity.details("version", version, "http", http.baseUrl(), "pid",
              ProcessHandle.current().pid()));
      if (restored > 0) {
        log.info("node {} restored {} configuration entr{} from its disk copy into the cluster",
            config.node().id(), restored, restored == 1 ? "y" : "ies");
      }
      log.info("node {} {} in {} ms: http {} (api {}/api/v1, health {}/health/ready),"
              + " cluster '{}' at {} with {} member(s), data {}",
          config.node().id(), readiness.isReady() ? "ready" : "started, not ready ("
              + readiness.checks() + "),", (System.nanoTime() - startNanos) / 1_000_000, http.baseUrl(),
          http.baseUrl(), http.baseUrl(), config.cluster().name(), clusterAddress,
          directory.snapshot().members().size(), dataDir);
    } catch (StartupException | RuntimeException | IOException e) {
      close();
      if (e instanceof StartupException s) {
        throw s;
      }
      throw new StartupException("node " + config.node().id() + " failed to start: " + e, e);
    }
  }

  /** Drain: moves this node's queued messages to the cluster before the node stops. */
  private void handOverMessages() {
    Duration timeout = config.node().shutdownTimeout();
    try {
      broker.handOver(timeout, standDown);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("node {}: message hand-over failed: {}", config.node().id(), e.toString());
    }
  }

  private EmbeddedBroker startBroker(HazelcastInstance hz) throws StartupException {
    String channel = config.cluster().name();
    HazelcastBroadcast.register(channel, hz);
    started.push(() -> HazelcastBroadcast.unregister(channel));
    readiness.notReady("broker", "starting the message broker");
    try {
      EmbeddedBroker b = EmbeddedBroker.start(config.broker(), config.node().id(),
          advertisedHost(), brokerPort, dataDir, channel,
          ClusterCredential.resolve(hz, config.broker().clusterPassword()), Duration.ofSeconds(60));
      started.push(b);
      standDown = new ReplicaStandDown(hz, b);
      // Closed before the broker: a planned stop first detaches this broker's replica.
      started.push(() -> {
        try {
          standDown.standDown(Duration.ofSeconds(5));
        } finally {
          standDown.close();
        }
      });
      readiness.ready("broker");
      return b;
    } catch (Exception e) {
      throw new StartupException("node " + config.node().id() + ": the message broker did not"
          + " start: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the integration runtime and mounts its endpoints and {@code /metrics}; the node is not
   * ready until it runs what the cluster's registry holds.
   */
  private IntegrationRuntime startIntegrations(HazelcastInstance hz, ClusterEvents events,
      BrokerStatus brokerStatus, PrometheusMeterRegistry meters)
      throws StartupException, IOException {
    activities.bindTo(meters);
    brokerStatus.bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    http.mountMetrics(NodeHttpServer.prometheus(meters));
    readiness.notReady("integrations", "deploying the cluster's integrations");
    String dir = config.integrations().dir();
    try {
      IntegrationRuntime integrations = IntegrationRuntime.start(
          new IntegrationRuntime.NodeParts(hz, directory, events, meters,
              dataDir.resolve("state"), DeadLetterSink.logging(),
              Map.of("connectionFactory", broker.connectionFactory()), broker.queueBounds(), activities,
              activities.defaultCapture()),
          dir.isEmpty() ? Optional.empty() : Optional.of(Path.of(dir)),
          readiness::isReady, () -> readiness.ready("integrations"));
      started.push(integrations);
      http.mountIntegrations(integrations.router());
      return integrations;
    } catch (IntegrationRejectedException e) {
      throw new StartupException("integrations.dir: " + e.getMessage(), e);
    }
  }

  private ClusterMember startClusterMember() throws StartupException {
    NodeConfig.ClusterSection c = config.cluster();
    int port = Ports.resolve(c.host(), c.port(), "cluster.port");
    MemberSettings settings = new MemberSettings(c.name(), c.host(), port,
        new JoinSettings(c.join().members(), c.join().multicast(), c.join().dns(),
            c.join().dnsServer()),
        Map.of(ClusterMember.ATTR_NODE_ID, config.node().id(), ClusterMember.ATTR_HTTP,
            config.http().advertise().isEmpty() ? http.baseUrl()
                : "http://" + config.http().advertise()),
        HealthMonitor.HAZELCAST_PROPERTIES, false);
    try {
      return ClusterMember.start(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  /** The cluster as the directory sees it; empty until the directory exists. */
  private ClusterSnapshot view() {
    NodeDirectory dir = directory;
    return dir == null ? new ClusterSnapshot(config.cluster().name(), "", List.of()) : dir.snapshot();
  }

  /** The failure detector's verdict; every node is ALIVE until the detector runs. */
  private Health healthOf(String nodeId) {
    HealthMonitor m = monitor;
    return m == null ? Health.ALIVE : m.health(nodeId);
  }

  /** The configured static seeds other than this member's own address. */
  private List<String> otherSeeds(HazelcastInstance hz) {
    int port = hz.getCluster().getLocalMember().getAddress().getPort();
    Set<String> self = Set.of(config.cluster().host() + ":" + port, "localhost:" + port);
    return config.cluster().join().multicast() ? List.of()
        : config.cluster().join().members().stream().filter(m -> !self.contains(m)).toList();
  }

  private NodeDescriptor descriptor(NodeStatus status) {
    String advertise = config.http().advertise();
    int colon = advertise.lastIndexOf(':');
    String host = advertise.isEmpty() ? advertisedHost() : advertise.substring(0, colon);
    int httpPort = advertise.isEmpty() ? http.port()
        : Integer.parseInt(advertise.substring(colon + 1));
    NodePorts ports = new NodePorts(httpPort, brokerPort, edge.proxyPort(), edge.dnsPort());
    return new NodeDescriptor(config.node().id(), config.node().lan(), config.node().roles(),
        host, ports, version,
        ProcessHandle.current().info().startInstant().orElse(Instant.now()), status);
  }

  /** The address others use: the HTTP host, unless it is a wildcard; then the cluster host. */
  private String advertisedHost() {
    String host = config.http().host();
    return host.equals("0.0.0.0") || host.equals("::") ? config.cluster().host() : host;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** Which node should serve next, nearest and least loaded first; set once started. */
  public NodePicker picker() {
    return picker;
  }

  /**
   * Stops the node: refuses new requests, lets those in flight finish (bounded by
   * {@code node.shutdownTimeout}), leaves the cluster, releases the data directory.
   */
  @Override
  public void close() {
    readiness.notReady("node", "shutting down");
    if (activities != null) {
      activities.record(ActivityType.NODE_STOPPED, Severity.NOTICE, "node "
          + config.node().id() + " is stopping");
    }
    if (directory != null) {
      try {
        directory.setStatus(NodeStatus.LEAVING);
      } catch (RuntimeException e) {
        log.debug("could not publish LEAVING: {}", e.toString());
      }
    }
    Duration timeout = config.node().shutdownTimeout();
    if (http != null) {
      http.refuseNewRequests();
      try {
        if (!http.awaitInFlight(timeout)) {
          log.warn("node {}: requests still in flight after {} (node.shutdownTimeout); stopping"
              + " anyway", config.node().id(), timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      NodeReport.remove(dataDir);
    } catch (IOException e) {
      log.warn("node {}: could not remove {}: {}", config.node().id(), NodeReport.FILE, e.toString());
    }
    housekeeping.shutdownNow();
    while (!started.isEmpty()) {
      AutoCloseable component = started.pop();
      try {
        component.close();
      } catch (Exception e) {
        log.warn("node {}: stopping {} failed: {}", config.node().id(),
            component.getClass().getSimpleName(), e.toString());
      }
    }
  }
}

package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.MemberSettings;
import dev.alpharen.arsrv.config.NodeConfig;
import dev.alpharen.arsrv.http.NodeHttpServer;
import dev.alpharen.arwadm.AdminApi;
import dev.alpharen.arwadm.BasicAuthHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ALPHA-REN node: starts its components in dependency order (data directory lock, HTTP server,
 * cluster member, admin API) and stops them in reverse. Not thread-safe: one thread starts it,
 * one closes it.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final NodeConfig config;
  private final Path dataDir;
  private final Readiness readiness = new Readiness();
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private NodeHttpServer http;

  public Node(NodeConfig config) {
    this.config = config;
    this.dataDir = Path.of(config.node().dataDir()).toAbsolutePath().normalize();
  }

  /** Starts every component; on failure, stops what had started and throws. */
  public void start() throws StartupException {
    long startNanos = System.nanoTime();
    try {
      started.push(DataDirLock.acquire(dataDir));
      String adminPassword = AdminPassword.resolve(config.security().adminPassword(), dataDir);
      readiness.notReady("cluster", "joining cluster '" + config.cluster().name() + "'");
      http = NodeHttpServer.start(config.http().host(), config.http().port(), readiness);
      started.push(http);
      ClusterMember cluster = startClusterMember();
      started.push(cluster);
      readiness.ready("cluster");
      http.mountApi(new BasicAuthHandler(new AdminApi(cluster), "admin", adminPassword));
      String clusterAddress = config.cluster().host() + ":"
          + cluster.hazelcast().getCluster().getLocalMember().getAddress().getPort();
      new NodeReport(config.node().id(), ProcessHandle.current().pid(), http.baseUrl(),
          clusterAddress, Instant.now()).write(dataDir);
      log.info("node {} ready in {} ms: http {} (api {}/api/v1, health {}/health/ready),"
              + " cluster '{}' at {} with {} member(s), data {}",
          config.node().id(), (System.nanoTime() - startNanos) / 1_000_000, http.baseUrl(),
          http.baseUrl(), http.baseUrl(), config.cluster().name(), clusterAddress,
          cluster.snapshot().members().size(), dataDir);
    } catch (StartupException | RuntimeException | IOException e) {
      close();
      if (e instanceof StartupException s) {
        throw s;
      }
      throw new StartupException("node " + config.node().id() + " failed to start: " + e, e);
    }
  }

  private ClusterMember startClusterMember() throws StartupException {
    NodeConfig.ClusterSection c = config.cluster();
    int port = Ports.resolve(c.host(), c.port(), "cluster.port");
    MemberSettings settings = new MemberSettings(c.name(), c.host(), port,
        new JoinSettings(c.join().members(), c.join().multicast(), c.join().dns()),
        Map.of(ClusterMember.ATTR_NODE_ID, config.node().id(), ClusterMember.ATTR_HTTP,
            http.baseUrl()),
        Map.of());
    try {
      return ClusterMember.start(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  public Readiness readiness() {
    return readiness;
  }

  /**
   * Stops the node: refuses new requests, lets those in flight finish (bounded by
   * {@code node.shutdownTimeout}), leaves the cluster, releases the data directory.
   */
  @Override
  public void close() {
    readiness.notReady("node", "shutting down");
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

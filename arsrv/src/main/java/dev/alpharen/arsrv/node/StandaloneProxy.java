package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.MemberSettings;
import dev.alpharen.ardpx.ProxyServer;
import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthMonitor;
import dev.alpharen.arhav.PeakEwmaPicker;
import dev.alpharen.arsrv.config.NodeConfig;
import dev.alpharen.arsrv.http.NodeHttpServer;
import dev.alpharen.arwadm.HttpJson;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARDPX on its own ({@code alpha-ren proxy --join host:port}): a Hazelcast lite member that holds
 * no data and is no backend, sending requests to the ready ACTIVE nodes of the cluster it joined,
 * nearest and least loaded first as measured by its own requests. Its own {@code /health/live},
 * {@code /health/ready} (ready while at least one node is) and {@code /metrics} are on
 * {@code http.host:http.port}, as a node's are, apart from the port that faces clients. Not
 * thread-safe for start and close.
 */
public final class StandaloneProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneProxy.class);
  private static final Duration READY_POLL = Duration.ofMillis(500);

  private final ClusterMember member;
  private final ScheduledExecutorService poller;
  private final NodeHttpServer admin;
  private final ProxyServer proxy;

  private StandaloneProxy(ClusterMember member, ScheduledExecutorService poller,
      NodeHttpServer admin, ProxyServer proxy) {
    this.member = member;
    this.poller = poller;
    this.admin = admin;
    this.proxy = proxy;
  }

  /** Joins the cluster as a lite member and starts the proxy; throws naming what failed. */
  public static StandaloneProxy start(NodeConfig config) throws StartupException {
    NodeConfig.ClusterSection c = config.cluster();
    int port = Ports.resolve(c.host(), c.port(), "cluster.port");
    ClusterMember member;
    try {
      member = ClusterMember.start(new MemberSettings(c.name(), c.host(), port,
          new JoinSettings(c.join().members(), c.join().multicast(), c.join().dns(),
              c.join().dnsServer()),
          Map.of(ClusterMember.ATTR_NODE_ID, config.node().id()),
          HealthMonitor.HAZELCAST_PROPERTIES, true));
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
    Readiness readiness = new Readiness();
    readiness.notReady("proxy", "joining cluster '" + c.name() + "'");
    NodeHttpServer admin;
    try {
      admin = NodeHttpServer.start(config.http().host(), config.http().port(), readiness,
          config.node().id());
    } catch (StartupException e) {
      member.close();
      throw e;
    }
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "proxy-ready-poller");
      t.setDaemon(true);
      return t;
    });
    try {
      ReadyMembers view = new ReadyMembers(member.hazelcast(), c.name(), Duration.ofSeconds(1));
      view.runOnce();
      poller.scheduleWithFixedDelay(() -> {
        try {
          view.runOnce();
        } catch (RuntimeException e) {
          log.warn("standalone proxy: readiness poll failed: {}", e.toString());
        }
      }, READY_POLL.toMillis(), READY_POLL.toMillis(), TimeUnit.MILLISECONDS);
      PeakEwmaPicker picker = new PeakEwmaPicker(view, id -> Health.ALIVE,
          Duration.ofSeconds(1), Duration.ofMillis(100), System::nanoTime);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      meters.config().commonTags("node", config.node().id());
      new JvmMemoryMetrics().bindTo(meters);
      new JvmGcMetrics().bindTo(meters);
      ProxyServer proxy = EdgeRoles.startProxy(config.proxy(), view, picker, meters);
      admin.mountMetrics(NodeHttpServer.prometheus(meters));
      admin.mountApi(e -> HttpJson.error(e, 404, "a standalone proxy has no admin API; ask a"
          + " node's /api/v1"));
      readiness.ready("proxy");
      readiness.watch("nodes", () -> picker.best(m -> true).isPresent() ? ""
          : "no ready node to send requests to");
      log.info("standalone proxy {} joined cluster '{}' as a lite member; {} node(s) ready;"
          + " health and metrics on {}", config.node().id(), c.name(),
          picker.candidates().size(), admin.baseUrl());
      return new StandaloneProxy(member, poller, admin, proxy);
    } catch (StartupException | RuntimeException e) {
      poller.shutdownNow();
      admin.close();
      member.close();
      throw e;
    }
  }

  public int port() {
    return proxy.port();
  }

  /** The port of {@code /health} and {@code /metrics}. */
  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    proxy.close();
    admin.close();
    poller.shutdownNow();
    member.close();
  }
}

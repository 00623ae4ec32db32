package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.MemberSettings;
import dev.alpharen.ardpx.ProxyServer;
import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthMonitor;
import dev.alpharen.arhav.PeakEwmaPicker;
import dev.alpharen.arsrv.config.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * nearest and least loaded first as measured by its own requests. Not thread-safe for start and
 * close.
 */
public final class StandaloneProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandaloneProxy.class);
  private static final Duration READY_POLL = Duration.ofMillis(500);

  private final ClusterMember member;
  private final ScheduledExecutorService poller;
  private final ProxyServer proxy;

  private StandaloneProxy(ClusterMember member, ScheduledExecutorService poller,
      ProxyServer proxy) {
    this.member = member;
    this.poller = poller;
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
          Duration.ofSeconds(5), Duration.ofMillis(100), System::nanoTime);
      ProxyServer proxy = EdgeRoles.startProxy(config.proxy(), view, picker,
          new SimpleMeterRegistry());
      log.info("standalone proxy {} joined cluster '{}' as a lite member; {} node(s) ready",
          config.node().id(), c.name(), picker.candidates().size());
      return new StandaloneProxy(member, poller, proxy);
    } catch (StartupException | RuntimeException e) {
      poller.shutdownNow();
      member.close();
      throw e;
    }
  }

  public int port() {
    return proxy.port();
  }

  @Override
  public void close() {
    proxy.close();
    poller.shutdownNow();
    member.close();
  }
}

package dev.alpharen.arsrv.runtime;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.alpharen.arclst.ClusterMember;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel {@code CamelClusterService} over ARCLST's Hazelcast member, so that Camel's own
 * {@code master:} endpoint and {@code ClusteredRoutePolicy} work across ALPHA-REN nodes. Each
 * namespace is led by one node through a {@link LeaseElector} lease in the map
 * {@value #LEASES}; every {@link #TICK} a thread renews, takes over or gives back, and a second one
 * tells Camel as soon as a lease runs out unrenewed (even while the first is stuck on a call to
 * an unreachable member). Thread-safe.
 */
final class HazelcastClusterService extends AbstractCamelClusterService<LeaseView> {
  /** The Hazelcast map of leases, keyed by namespace. */
  static final String LEASES = "alpharen.leases";
  static final Duration TICK = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(HazelcastClusterService.class);

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final BooleanSupplier eligible;
  private final LeaseElector.Timings timings;
  private final IMap<String, String> leases;
  private final Set<LeaseView> views = new CopyOnWriteArraySet<>();
  private ScheduledExecutorService scheduler;

  /**
   * @param eligible whether this node may lead now (it is ready: not starting, draining,
   *     rejoining or stopping)
   */
  HazelcastClusterService(HazelcastInstance hazelcast, String nodeId, BooleanSupplier eligible,
      LeaseElector.Timings timings) {
    super("alpharen");
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.eligible = eligible;
    this.timings = timings;
    this.leases = hazelcast.getMap(LEASES);
  }

  String nodeId() {
    return nodeId;
  }

  /** The node ids of the cluster's members, as this member sees them. */
  List<String> memberNodeIds() {
    return hazelcast.getCluster().getMembers().stream().filter(m -> !m.isLiteMember())
        .map(m -> Optional.ofNullable(m.<String>getAttribute(ClusterMember.ATTR_NODE_ID))
            .orElse(m.getUuid().toString())).toList();
  }

  /** The view of a namespace if one is open on this node. */
  Optional<LeaseView> openView(String namespace) {
    return views.stream().filter(v -> v.getNamespace().equals(namespace)).findFirst();
  }

  @Override
  protected LeaseView createView(String namespace) {
    String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    LeaseElector elector = new LeaseElector(namespace, leases, nodeId, member, eligible,
        this::isMember, timings);
    return new LeaseView(this, namespace, elector);
  }

  void track(LeaseView view) {
    views.add(view);
  }

  void untrack(LeaseView view) {
    views.remove(view);
  }

  @Override
  protected void doStart() throws Exception {
    scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "alpharen-singleton");
      t.setDaemon(true);
      return t;
    });
    long tick = TICK.toMillis();
    scheduler.scheduleWithFixedDelay(this::tickAll, tick, tick, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(() -> views.forEach(LeaseView::check), 50, 50,
        TimeUnit.MILLISECONDS);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void tickAll() {
    for (LeaseView view : views) {
      try {
        view.tick();
      } catch (RuntimeException e) {
        log.warn("singleton {}: lease step failed on node {}: {}", view.getNamespace(), nodeId,
            e.toString());
      }
    }
  }

  private boolean isMember(String memberUuid) {
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (m.getUuid().toString().equals(memberUuid)) {
        return true;
      }
    }
    return false;
  }
}

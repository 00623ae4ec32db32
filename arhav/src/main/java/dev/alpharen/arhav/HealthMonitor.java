package dev.alpharen.arhav;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.failure.PeerTracker;
import dev.alpharen.arhav.internal.HazelcastEviction;
import dev.alpharen.arhav.probe.HttpProber;
import dev.alpharen.arhav.rtt.RttTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARHAV's failure detector and RTT meter on one node. Every probe interval it pings each peer over
 * HTTP (timing the round trip); a peer silent for half the suspicion time is also probed through
 * two other members; silent to both past {@code suspectAfter} it turns SUSPECT (the node picker
 * offers it no new work), past {@code removeAfter} DEAD, and Hazelcast is told to remove it —
 * seconds instead of Hazelcast's heartbeat timeout, which stays as the backstop. A node that finds
 * it was itself frozen past {@code removeAfter} reports not ready until it has merged back.
 * Thread-safe; {@link #runOnce(Instant)} is the periodic step tests can drive.
 */
public final class HealthMonitor implements HealthView, AutoCloseable {
  /** Hazelcast's own detector, the slower final word: heartbeat every second, gone after 5 s. */
  public static final Map<String, String> HAZELCAST_PROPERTIES = Map.of(
      "hazelcast.heartbeat.interval.seconds", "1",
      "hazelcast.max.no.heartbeat.seconds", "5");

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
  private static final int INDIRECT_PROBERS = 2;
  private static final int KEPT_EVENTS = 200;
  private static final Duration REJOIN_WINDOW = Duration.ofSeconds(30);

  private final HazelcastInstance hazelcast;
  private final NodeDirectory directory;
  private final ProbeSettings settings;
  private final Clock clock;
  private final List<BiConsumer<String, Duration>> rttListeners =
      new CopyOnWriteArrayList<>();
  private final PeerTracker tracker;
  private final RttTable rtt = new RttTable(0.3);
  private final HttpProber prober;
  private final ScheduledExecutorService scheduler;
  private final Set<String> pinging = ConcurrentHashMap.newKeySet();
  private final Set<String> asking = ConcurrentHashMap.newKeySet();
  private final Set<String> known = new HashSet<>();
  private final Deque<HealthEvent> events = new ArrayDeque<>();
  private final RttMatrix matrix;
  private volatile Instant lastRun;
  private volatile Instant stalledAt;

  public HealthMonitor(HazelcastInstance hazelcast, NodeDirectory directory, ProbeSettings settings,
      Clock clock) {
    this.hazelcast = hazelcast;
    this.directory = directory;
    this.settings = settings;
    this.clock = clock;
    this.tracker = new PeerTracker(settings.suspectAfter(), settings.removeAfter());
    this.scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "arhav-probe");
      t.setDaemon(true);
      return t;
    });
    this.prober = new HttpProber(settings.timeout());
    this.matrix = new RttMatrix(hazelcast);
    hazelcast.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.MERGED) {
        stalledAt = null;
      }
    });
  }

  /** Starts probing on its own threads. */
  public HealthMonitor start() {
    long every = settings.interval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> guarded(() -> runOnce(clock.instant())), every, every,
        TimeUnit.MILLISECONDS);
    long share = settings.shareInterval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> guarded(this::shareRtt), share, share,
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** One probe round at {@code now}: probe, decide, act on transitions. */
  public void runOnce(Instant now) {
    Instant previous = lastRun;
    lastRun = now;
    Duration gap = previous == null ? Duration.ZERO : Duration.between(previous, now);
    if (gap.compareTo(settings.interval().multipliedBy(3)) > 0) {
      // This node did not run (frozen, starved): the silence was ours, not the peers'.
      known.forEach(peer -> tracker.answered(peer, now));
      if (gap.compareTo(settings.removeAfter()) > 0) {
        stalledAt = now;
        log.warn("node {} itself was unresponsive for {} ms (limit {} ms): it may have been"
            + " removed from the cluster; not ready until it has merged back",
            directory.self().id(), gap.toMillis(), settings.removeAfter().toMillis());
      }
    }
    List<MemberInfo> peers = peers();
    track(peers, now);
    for (MemberInfo peer : peers) {
      ping(peer);
    }
    for (MemberInfo peer : peers) {
      if (tracker.needsIndirectProbe(peer.id(), now, settings.indirectAfter())) {
        askOthers(peer, peers);
      }
      tracker.decide(peer.id(), now).ifPresent(this::transition);
    }
  }

  /** Calls {@code listener} with every measured round trip (for example a node picker's). */
  public void onRoundTrip(BiConsumer<String, Duration> listener) {
    rttListeners.add(listener);
  }

  @Override
  public Health health(String nodeId) {
    return tracker.health(nodeId);
  }

  @Override
  public Optional<Instant> since(String nodeId) {
    return tracker.since(nodeId);
  }

  @Override
  public List<HealthEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** This node's smoothed RTT row, in microseconds. */
  public Map<String, Long> rttRow() {
    return rtt.row();
  }

  @Override
  public Map<String, Map<String, Long>> rttMatrix() {
    return matrix.read();
  }

  /** Why this node should not take work now ("" if it may). */
  public String notReadyReason() {
    Instant stalled = stalledAt;
    if (stalled == null || Duration.between(stalled, clock.instant()).compareTo(REJOIN_WINDOW) > 0) {
      return "";
    }
    return "rejoining: this node was unresponsive at " + stalled + " and may have been removed"
        + " from the cluster; waiting to merge back";
  }

  /** Answers an indirect probe: pings {@code targetId} for the asking member. */
  public CompletableFuture<Boolean> probeFor(String targetId) {
    Optional<MemberInfo> target = directory.snapshot().member(targetId);
    if (target.isEmpty() || target.get().http().isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    return prober.ping(target.get().http()).handle((rttTime, error) -> error == null);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    matrix.remove(directory.self().id());
  }

  private List<MemberInfo> peers() {
    List<MemberInfo> peers = new ArrayList<>();
    for (MemberInfo m : directory.snapshot().members()) {
      if (!m.local() && !m.http().isEmpty()) {
        peers.add(m);
      }
    }
    return peers;
  }

  private void track(List<MemberInfo> peers, Instant now) {
    Set<String> present = new HashSet<>();
    for (MemberInfo m : peers) {
      present.add(m.id());
      if (known.add(m.id())) {
        tracker.track(m.id(), now);
      }
    }
    for (String gone : new ArrayList<>(known)) {
      if (!present.contains(gone)) {
        known.remove(gone);
        tracker.forget(gone);
        rtt.forget(gone);
      }
    }
  }

  private void ping(MemberInfo peer) {
    if (!pinging.add(peer.id())) {
      return; // one probe in flight per peer
    }
    prober.ping(peer.http()).whenComplete((roundTrip, error) -> {
      pinging.remove(peer.id());
      if (error == null) {
        rtt.record(peer.id(), roundTrip);
        rttListeners.forEach(l -> l.accept(peer.id(), roundTrip));
        answered(peer.id());
      }
    });
  }

  private void askOthers(MemberInfo target, List<MemberInfo> peers) {
    if (!asking.add(target.id())) {
      return;
    }
    List<MemberInfo> helpers = new ArrayList<>(peers);
    helpers.removeIf(m -> m.id().equals(target.id()) || tracker.health(m.id()) != Health.ALIVE);
    Collections.shuffle(helpers);
    List<MemberInfo> chosen = helpers.subList(0, Math.min(INDIRECT_PROBERS, helpers.size()));
    if (chosen.isEmpty()) {
      asking.remove(target.id());
      return;
    }
    CompletableFuture.allOf(chosen.stream()
        .map(via -> prober.indirect(via.http(), target.id()).thenAccept(alive -> {
          if (alive) {
            answered(target.id());
          }
        })).toArray(CompletableFuture[]::new))
        .whenComplete((ok, error) -> asking.remove(target.id()));
  }

  private void answered(String peer) {
    tracker.answered(peer, clock.instant()).ifPresent(this::transition);
  }

  private void transition(HealthEvent event) {
    synchronized (events) {
      events.addLast(event);
      while (events.size() > KEPT_EVENTS) {
        events.removeFirst();
      }
    }
    switch (event.to()) {
      case SUSPECT -> log.warn("member {} SUSPECT: silent for {} ms (limit {} ms), also to probes"
          + " through other members; no new work for it", event.node(), event.silence(),
          settings.suspectAfter().toMillis());
      case ALIVE -> log.info("member {} ALIVE again after {} ms of silence (was {})", event.node(),
          event.silence(), event.from());
      case DEAD -> {
        log.warn("member {} DEAD: silent for {} ms (limit {} ms); removing it from the cluster",
            event.node(), event.silence(), settings.removeAfter().toMillis());
        evict(event.node(), event.silence());
      }
    }
  }

  private void evict(String nodeId, long silenceMs) {
    if (directory.snapshot().member(nodeId).map(m -> m.node().status() == NodeStatus.LEAVING)
        .orElse(false)) {
      // It refuses probes while it stops, and leaves by itself; evicting it would make two
      // masters for a moment and split the members that still follow it (a lite proxy).
      log.info("member {} is LEAVING; not removing it, it leaves by itself", nodeId);
      return;
    }
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (nodeId.equals(m.getAttribute(ClusterMember.ATTR_NODE_ID))) {
        HazelcastEviction.suspect(hazelcast, m.getUuid(), "ARHAV: no answer to direct or indirect"
            + " probes for " + silenceMs + " ms");
      }
    }
  }

  private void shareRtt() {
    matrix.publish(directory.self().id(), rtt.row());
  }

  private static void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      log.warn("health monitor step failed: {}", e.toString());
    }
  }
}

package dev.alpharen.arsrv.node;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arclst.NodePorts;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arclst.testing.TestMembers;
import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthEvent;
import dev.alpharen.arhav.HealthView;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watch on real Hazelcast members, stepped by hand: readiness, the detector's transitions and
 * a new coordinator are each recorded once; joins and leaves only by the coordinator.
 */
class ClusterActivityWatchTest {
  private static final Instant T0 = Instant.parse("2026-11-25T07:00:00Z");

  private final List<AutoCloseable> opened = new ArrayList<>();
  private TestMembers members;

  @AfterEach
  void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (RuntimeException e) {
        // its member was shut down by the test
      }
    }
    if (members != null) {
      members.close();
    }
  }

  @Test
  void recordsReadinessTransitionsAndANewCoordinatorOnceEach() throws Exception {
    members = TestMembers.start(2);
    directory(members.get(0), "a");
    Recorded onB = new Recorded();
    Events health = new Events();
    AtomicBoolean ready = new AtomicBoolean();
    ClusterActivityWatch watch = watch(members.get(1), "b", onB, health, ready);

    watch.runOnce();
    ready.set(true);
    watch.runOnce();
    watch.runOnce();
    health.add(new HealthEvent("a", Health.ALIVE, Health.SUSPECT, T0, 950));
    watch.runOnce();
    watch.runOnce();
    health.add(new HealthEvent("a", Health.SUSPECT, Health.ALIVE, T0.plusSeconds(1), 0));
    watch.runOnce();

    assertEquals(List.of(
        "node.ready info node b is ready for work {}",
        "member.suspected warning node a is suspected: silent for 950 ms"
            + " {member=a, silenceMs=950}",
        "member.alive notice node a is alive again {member=a, was=suspect}"), onB.lines());

    onB.clear();
    members.get(0).shutdown(); // the coordinator goes: b is the oldest member now
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      watch.runOnce();
      return onB.lines().size() >= 2;
    });
    watch.runOnce();

    assertEquals(List.of("coordinator.changed notice this node is the coordinator now (was a)"
        + " {coordinator=b, previous=a}", "member.left warning node a left the cluster"
        + " {member=a}"), sorted(onB.lines()), "each once, in either order");
  }

  @Test
  void onlyTheCoordinatorRecordsAJoin() throws Exception {
    members = TestMembers.start(1);
    Recorded onA = new Recorded();
    watch(members.get(0), "a", onA, new Events(), new AtomicBoolean(true));
    HazelcastInstance c = members.startAnother();
    Recorded onC = new Recorded();
    watch(c, "c", onC, new Events(), new AtomicBoolean(true));

    await().atMost(Duration.ofSeconds(10)).until(() -> onA.types().contains("member.joined"));

    assertEquals(List.of("member.joined"), onA.types());
    assertEquals(List.of(), onC.types(), "not the coordinator: it records no join");
  }

  private ClusterActivityWatch watch(HazelcastInstance member, String id, Recorded into,
      HealthView health, AtomicBoolean ready) throws Exception {
    ClusterEvents events = new ClusterEvents(member);
    opened.add(events);
    NodeDirectory directory = NodeDirectory.publish(member, "c1", descriptor(id), events);
    opened.add(directory);
    ClusterActivityWatch watch = new ClusterActivityWatch(into, directory, events, health,
        ready::get);
    opened.add(watch);
    return watch;
  }

  private void directory(HazelcastInstance member, String id) {
    ClusterEvents events = new ClusterEvents(member);
    opened.add(events);
    opened.add(NodeDirectory.publish(member, "c1", descriptor(id), events));
  }

  private static NodeDescriptor descriptor(String id) {
    return new NodeDescriptor(id, "lan", List.of("arsrv"), "127.0.0.1",
        new NodePorts(8080, 0, 0, 0), "test", T0, NodeStatus.ACTIVE);
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    copy.sort(null);
    return copy;
  }

  /** What was recorded, as "type severity message {details}". */
  private static final class Recorded implements ActivityRecorder {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void record(ActivityType type, Severity severity, Scope scope, String message,
        Map<String, Object> details) {
      lines.add(type.label() + " " + severity.label() + " " + message + " "
          + new java.util.TreeMap<>(details));
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    List<String> types() {
      return lines.stream().map(l -> l.substring(0, l.indexOf(' '))).toList();
    }

    void clear() {
      lines.clear();
    }
  }

  /** A detector's transitions, added by the test. */
  private static final class Events implements HealthView {
    private final List<HealthEvent> events = new CopyOnWriteArrayList<>();

    void add(HealthEvent e) {
      events.add(e);
    }

    @Override
    public Health health(String nodeId) {
      return Health.ALIVE;
    }

    @Override
    public Optional<Instant> since(String nodeId) {
      return Optional.empty();
    }

    @Override
    public List<HealthEvent> events() {
      return List.copyOf(events);
    }

    @Override
    public Map<String, Map<String, Long>> rttMatrix() {
      return Map.of();
    }
  }
}

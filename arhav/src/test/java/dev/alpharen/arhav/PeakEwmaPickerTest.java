package dev.alpharen.arhav;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeDescriptor;
import dev.alpharen.arclst.NodePorts;
import dev.alpharen.arclst.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeakEwmaPickerTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Map<String, NodeStatus> status = new HashMap<>(Map.of(
      "a", NodeStatus.ACTIVE, "b", NodeStatus.ACTIVE, "c", NodeStatus.ACTIVE));
  private final Map<String, Health> health = new HashMap<>();
  private final PeakEwmaPicker picker = new PeakEwmaPicker(
      () -> new ClusterSnapshot("c1", "a", status.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(e -> member(e.getKey(), e.getValue())).toList()),
      id -> health.getOrDefault(id, Health.ALIVE), Duration.ofSeconds(1), nanos::get);

  private static MemberInfo member(String id, NodeStatus s) {
    return new MemberInfo("127.0.0.1:1", false, new NodeDescriptor(id, "lan", List.of("arsrv"),
        "127.0.0.1", new NodePorts(8080, 0, 0, 0), "1", Instant.EPOCH, s));
  }

  private List<String> order() {
    return picker.candidates().stream().map(MemberInfo::id).toList();
  }

  @Test
  void ordersNodesNearestFirst() {
    picker.observe("a", Duration.ofMillis(30));
    picker.observe("b", Duration.ofMillis(1));
    picker.observe("c", Duration.ofMillis(5));
    assertEquals(List.of("b", "c", "a"), order());
  }

  @Test
  void leavesOutNodesThatAreNotActiveOrNotAlive() {
    status.put("b", NodeStatus.DRAINING);
    health.put("c", Health.SUSPECT);
    assertEquals(List.of("a"), order());
    health.put("a", Health.DEAD);
    assertEquals(List.of(), order());
  }

  @Test
  void aBusyNodeYieldsToAnIdleOneOfTheSameDistance() {
    picker.observe("a", Duration.ofMillis(2));
    picker.observe("b", Duration.ofMillis(2));
    picker.observe("c", Duration.ofMillis(2));
    NodePicker.Call first = picker.begin("a");
    picker.begin("a");
    assertEquals("a", order().get(2));
    first.done(Duration.ofMillis(2));
    assertEquals(List.of("b", "c", "a"), order());
  }

  @Test
  void aNodeThatTurnsSlowIsAvoidedAtOnceAndTrustedAgainSlowly() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("b", Duration.ofMillis(3));
    picker.observe("c", Duration.ofMillis(4));
    assertEquals("a", order().get(0));
    picker.begin("a").done(Duration.ofMillis(50)); // one slow request
    assertEquals("a", order().get(2));
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    picker.observe("a", Duration.ofMillis(1));
    assertEquals("a", order().get(2), "100 ms later one fast probe is not enough");
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    picker.observe("a", Duration.ofMillis(1));
    assertEquals("a", order().get(0), "after the decay it is first again");
  }

  @Test
  void anUnmeasuredNodeCountsAsTheMedianSoItGetsTried() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("c", Duration.ofMillis(9));
    assertEquals(List.of("a", "b", "c"), order());
  }
}

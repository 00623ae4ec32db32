package dev.alpharen.arhav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.Optional;
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
      id -> health.getOrDefault(id, Health.ALIVE), Duration.ofSeconds(1), Duration.ZERO,
      nanos::get);

  private static MemberInfo member(String id, NodeStatus s) {
    return new MemberInfo("127.0.0.1:1", false, new NodeDescriptor(id, "lan", List.of("arsrv"),
        "127.0.0.1", new NodePorts(8080, 0, 0, 0), "1", Instant.EPOCH, s));
  }

  private List<String> order() {
    List<String> order = picker.candidates().stream().map(MemberInfo::id).toList();
    assertEquals(order.isEmpty() ? Optional.empty() : Optional.of(order.get(0)),
        picker.best(m -> true).map(MemberInfo::id), "best() must agree with candidates()");
    return order;
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

  @Test
  void theBestAllowedNodeIsTheFirstAllowedCandidate() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("b", Duration.ofMillis(2));
    picker.observe("c", Duration.ofMillis(3));
    assertEquals(Optional.of("b"), picker.best(m -> !m.id().equals("a")).map(MemberInfo::id));
    assertEquals(Optional.empty(), picker.best(m -> false));
  }

  @Test
  void readsMembersAndHealthAgainOnlyOnceTheRefreshHasPassed() {
    PeakEwmaPicker cached = new PeakEwmaPicker(
        () -> new ClusterSnapshot("c1", "a", status.entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).map(e -> member(e.getKey(), e.getValue())).toList()),
        id -> health.getOrDefault(id, Health.ALIVE), Duration.ofSeconds(1),
        Duration.ofMillis(100), nanos::get);
    assertEquals(3, cached.candidates().size());
    status.put("b", NodeStatus.DRAINING);
    health.put("c", Health.DEAD);
    nanos.addAndGet(Duration.ofMillis(99).toNanos());
    assertEquals(3, cached.candidates().size(), "within the refresh the last reading holds");
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertEquals(List.of("a"), cached.candidates().stream().map(MemberInfo::id).toList());
    assertEquals(Optional.of("a"), cached.best(m -> true).map(MemberInfo::id));
  }

  @Test
  void rejectsANegativeRefresh() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PeakEwmaPicker(() -> null, id -> Health.ALIVE, Duration.ofSeconds(1),
            Duration.ofMillis(-1), nanos::get));
    assertEquals("refresh must be 0 or more, was PT-0.001S", e.getMessage());
  }

  @Test
  void aLatencyOutlierGetsOnlyAProbeHoweverBusyTheOthersAre() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("b", Duration.ofMillis(1));
    picker.observe("c", Duration.ofMillis(50));
    for (int i = 0; i < 60; i++) { // 61 ms of cost each: by cost alone c would win
      picker.begin("a");
      picker.begin("b");
    }
    assertEquals("c", order().get(2), "an outlier comes last");
    assertEquals(Optional.of("a"), picker.best(m -> true).map(MemberInfo::id));
    nanos.addAndGet(Duration.ofMillis(250).toNanos());
    assertEquals(Optional.of("c"), picker.best(m -> true).map(MemberInfo::id),
        "one probe once 250 ms passed without a request to it");
    assertEquals(Optional.of("a"), picker.best(m -> true).map(MemberInfo::id),
        "and only one");
    assertEquals(Optional.of("c"), picker.best(m -> !m.id().equals("a") && !m.id().equals("b"))
        .map(MemberInfo::id), "the only node left is no outlier");
  }

  @Test
  void aSlowerNodeWithinTheMarginStillTakesTheOverflow() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("b", Duration.ofMillis(1));
    picker.observe("c", Duration.ofMillis(8)); // 8× slower but only 7 ms: no outlier
    for (int i = 0; i < 10; i++) {
      picker.begin("a");
      picker.begin("b");
    }
    assertEquals(List.of("c", "a", "b"), order());
  }

  @Test
  void oneSlowAnswerMakesNoOutlier() {
    picker.observe("a", Duration.ofMillis(1));
    picker.observe("b", Duration.ofMillis(1));
    picker.observe("c", Duration.ofMillis(1));
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    picker.begin("a").done(Duration.ofMillis(40)); // one hiccup: a goes last by cost...
    for (int i = 0; i < 40; i++) {
      picker.begin("b");
      picker.begin("c");
    }
    // ...but b and c at 41 in flight cost more than a's peak, and a is no outlier: it takes them
    assertEquals("a", order().get(0));
  }
}

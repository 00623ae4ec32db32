package dev.alpharen.arsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.alpharen.arclst.testing.TestMembers;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease election over a real Hazelcast map, driven step by step with a manual clock. */
class LeaseElectorTest {
  private static final long MS = 1_000_000;
  private static TestMembers members;

  private IMap<String, String> leases;
  private final AtomicBoolean aEligible = new AtomicBoolean(true);
  private final AtomicBoolean bEligible = new AtomicBoolean(true);
  private final Set<String> alive = new java.util.concurrent.CopyOnWriteArraySet<>(
      Set.of("member-a", "member-b"));
  private LeaseElector a;
  private LeaseElector b;

  @BeforeAll
  static void startMember() {
    members = TestMembers.start(1);
  }

  @AfterAll
  static void stopMember() {
    members.close();
  }

  @BeforeEach
  void electors() {
    leases = members.get(0).getMap("leases-" + System.nanoTime());
    LeaseElector.Timings t = LeaseElector.Timings.defaults();
    a = new LeaseElector("ns", leases, "a", "member-a", aEligible::get, alive::contains, t);
    b = new LeaseElector("ns", leases, "b", "member-b", bEligible::get, alive::contains, t);
  }

  @Test
  void firstEligibleNodeLeadsAndTheOtherWaits() {
    a.runOnce(0);
    b.runOnce(0);

    assertTrue(a.isLeader(0));
    assertFalse(b.isLeader(0));
    assertEquals(OptionalLong.of(1), a.term(0));
    assertEquals("a", b.holder().orElseThrow().nodeId());
    assertEquals(1, a.holder().orElseThrow().term());
  }

  @Test
  void leaderStopsCountingItselfLeaderBeforeAnotherMayTakeOver() {
    a.runOnce(0);
    b.runOnce(0);
    // a stops renewing (frozen, cut off): it is leader for the hold time only
    assertTrue(a.isLeader(999 * MS));
    assertFalse(a.isLeader(1000 * MS));
    b.runOnce(1999 * MS);
    assertFalse(b.isLeader(1999 * MS), "no takeover before the lease was unchanged for 2 s");
    b.runOnce(2000 * MS);
    assertTrue(b.isLeader(2000 * MS));
    assertEquals(2, b.holder().orElseThrow().term(), "the fencing term grows on takeover");
    assertEquals(OptionalLong.of(2), b.term(2000 * MS), "exchanges of b carry term 2");
    assertEquals(OptionalLong.empty(), a.term(2000 * MS), "a, not leading, has no term");
  }

  @Test
  void renewalKeepsTheLeaseAndOthersOut() {
    for (long t = 0; t <= 10_000; t += 250) {
      a.runOnce(t * MS);
      b.runOnce(t * MS);
      assertTrue(a.isLeader(t * MS), "a at " + t + " ms");
      assertFalse(b.isLeader(t * MS), "b at " + t + " ms");
    }
  }

  @Test
  void takesOverSoonerOnceTheHolderLeftTheCluster() {
    a.runOnce(0);
    b.runOnce(0);
    alive.remove("member-a");
    b.runOnce(1199 * MS);
    assertFalse(b.isLeader(1199 * MS));
    b.runOnce(1200 * MS);
    assertTrue(b.isLeader(1200 * MS));
  }

  @Test
  void resumedHolderLosesToTheNewLeaderAndStaysOut() {
    a.runOnce(0);
    b.runOnce(0);
    b.runOnce(2000 * MS);
    assertTrue(b.isLeader(2000 * MS));
    // a resumes after a 3 s freeze: no longer leader, and it does not take the lease back
    b.runOnce(2250 * MS);
    b.runOnce(2500 * MS);
    b.runOnce(2750 * MS);
    a.runOnce(3000 * MS);
    assertFalse(a.isLeader(3000 * MS));
    for (long t = 3000; t <= 15_000; t += 250) {
      b.runOnce(t * MS);
      a.runOnce(t * MS);
      assertTrue(b.isLeader(t * MS), "b at " + t + " ms");
      assertFalse(a.isLeader(t * MS), "a at " + t + " ms");
    }
  }

  @Test
  void holderThatDidNotRunForLongerThanItsHoldVacatesAndStaysOut() {
    a.runOnce(0);
    b.runOnce(0);
    // a was frozen for 1.5 s: too short for b to take over a stale lease, but past a's hold
    a.runOnce(1500 * MS);
    assertFalse(a.isLeader(1500 * MS));
    b.runOnce(1500 * MS);
    assertTrue(b.isLeader(1500 * MS), "the vacated lease is taken at once");
    for (long t = 1750; t <= 12_000; t += 250) {
      a.runOnce(t * MS);
      b.runOnce(t * MS);
      assertFalse(a.isLeader(t * MS), "a at " + t + " ms");
    }
  }

  @Test
  void leaderThatTurnsIneligibleGivesUpAndAnotherTakesOverAtOnce() {
    a.runOnce(0);
    b.runOnce(0);
    aEligible.set(false);
    a.runOnce(250 * MS);
    assertFalse(a.isLeader(250 * MS));
    b.runOnce(250 * MS);
    assertTrue(b.isLeader(250 * MS));
    assertEquals(2, b.holder().orElseThrow().term(), "terms never repeat after a vacancy");
  }

  @Test
  void ineligibleNodeNeverLeads() {
    aEligible.set(false);
    bEligible.set(false);
    for (long t = 0; t <= 5000; t += 250) {
      a.runOnce(t * MS);
      b.runOnce(t * MS);
    }
    assertFalse(a.isLeader(5000 * MS));
    assertFalse(b.isLeader(5000 * MS));
    assertTrue(a.holder().isEmpty());
  }

  @Test
  void refusesTimingsThatCouldLetTwoLead() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new LeaseElector.Timings(Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(10)));
    assertEquals("takeover (2000 ms) and takeoverGone (3000 ms) must be longer than hold (2000"
        + " ms), or two nodes could lead at once", e.getMessage());
  }
}

package dev.alpharen.arhav.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerTrackerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final PeerTracker tracker = new PeerTracker(Duration.ofMillis(800), Duration.ofMillis(2200));

  private static Instant at(long ms) {
    return T0.plusMillis(ms);
  }

  @Test
  void peerAnsweringInTimeStaysAlive() {
    tracker.track("b", at(0));
    for (long t = 200; t <= 5000; t += 200) {
      tracker.answered("b", at(t));
      assertEquals(Optional.empty(), tracker.decide("b", at(t + 100)));
    }
    assertEquals(Health.ALIVE, tracker.health("b"));
  }

  @Test
  void aPauseShorterThanTheSuspicionDeadlineIsNeverSuspected() {
    tracker.track("b", at(0));
    tracker.answered("b", at(1000));
    for (long t = 1000; t <= 1800; t += 50) { // silent for 800 ms: not past the deadline
      assertEquals(Optional.empty(), tracker.decide("b", at(t)));
    }
    assertEquals(Health.ALIVE, tracker.health("b"));
  }

  @Test
  void suspectsAfterTheDeadlinePassesAndRecoversOnAnswer() {
    tracker.track("b", at(0));
    HealthEvent suspect = tracker.decide("b", at(801)).orElseThrow();
    assertEquals(new HealthEvent("b", Health.ALIVE, Health.SUSPECT, at(801), 801), suspect);
    assertEquals(Health.SUSPECT, tracker.health("b"));
    assertEquals(Optional.of(at(801)), tracker.since("b"));

    HealthEvent alive = tracker.answered("b", at(1500)).orElseThrow();
    assertEquals(Health.ALIVE, alive.to());
    assertEquals(1500, alive.silence());
  }

  @Test
  void declaresDeadAfterTheRemovalDeadlineAndOnlyAnAnswerRevivesIt() {
    tracker.track("b", at(0));
    tracker.decide("b", at(900));
    HealthEvent dead = tracker.decide("b", at(2201)).orElseThrow();
    assertEquals(Health.SUSPECT, dead.from());
    assertEquals(Health.DEAD, dead.to());
    assertEquals(Optional.empty(), tracker.decide("b", at(3000)));
    assertEquals(Health.DEAD, tracker.health("b"));
    assertEquals(Health.ALIVE, tracker.answered("b", at(3100)).orElseThrow().to());
  }

  @Test
  void asksForIndirectProbesOnlyForASilentAlivePeer() {
    tracker.track("b", at(0));
    assertFalse(tracker.needsIndirectProbe("b", at(300), Duration.ofMillis(400)));
    assertTrue(tracker.needsIndirectProbe("b", at(401), Duration.ofMillis(400)));
    tracker.decide("b", at(900));
    assertFalse(tracker.needsIndirectProbe("b", at(901), Duration.ofMillis(400)));
  }

  @Test
  void lateAnswerDoesNotMoveTheLastAnswerBack() {
    tracker.track("b", at(0));
    tracker.answered("b", at(700));
    tracker.answered("b", at(600)); // an indirect answer that arrives out of order
    assertEquals(Optional.empty(), tracker.decide("b", at(1450)));
  }

  @Test
  void forgottenAndUntrackedPeersAreAliveAndDecideNothing() {
    assertEquals(Health.ALIVE, tracker.health("self"));
    assertEquals(Optional.empty(), tracker.decide("x", at(10_000)));
    tracker.track("b", at(0));
    tracker.forget("b");
    assertEquals(Optional.empty(), tracker.decide("b", at(10_000)));
  }

  @Test
  void rejectsDeadlinesInTheWrongOrder() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PeerTracker(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertEquals("deadAfter must be longer than suspectAfter (PT2S), was PT1S", e.getMessage());
  }
}

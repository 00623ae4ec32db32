package dev.alpharen.ardpx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutlierEjectorTest {
  private static final long T0 = 42_000_000_000L; // monotonic nanos, any origin
  private final OutlierEjector ejector = new OutlierEjector(5, Duration.ofSeconds(1),
      Duration.ofSeconds(8));

  @Test
  void aRefusedConnectionEjectsForTheBaseBackoff() {
    ejector.connectFailed("b", T0);
    assertTrue(ejector.ejected("b", ms(999)));
    assertFalse(ejector.ejected("b", ms(1000)));
  }

  @Test
  void theBackoffDoublesWithRepeatsUpToTheCap() {
    ejector.connectFailed("b", T0);
    ejector.connectFailed("b", ms(1_000));
    assertTrue(ejector.ejected("b", ms(2999)));
    assertFalse(ejector.ejected("b", ms(3_000)));
    for (int i = 0; i < 10; i++) {
      ejector.connectFailed("b", ms(100_000));
    }
    assertTrue(ejector.ejected("b", ms(107_000)));
    assertFalse(ejector.ejected("b", ms(108_000)), "capped at 8 s");
  }

  @Test
  void aStreakOfServerErrorsEjectsAndASuccessBreaksIt() {
    for (int i = 0; i < 4; i++) {
      ejector.answered("b", 503, T0);
    }
    ejector.answered("b", 200, T0);
    for (int i = 0; i < 4; i++) {
      ejector.answered("b", 500, T0);
    }
    assertFalse(ejector.ejected("b", T0), "4 in a row after a success is not 5");
    ejector.answered("b", 502, T0);
    assertTrue(ejector.ejected("b", T0));
  }

  @Test
  void servingAgainResetsTheBackoff() {
    ejector.connectFailed("b", T0);
    ejector.connectFailed("b", ms(1_000));
    ejector.answered("b", 200, ms(10_000));
    ejector.connectFailed("b", ms(20_000));
    assertFalse(ejector.ejected("b", ms(21_000)), "back to the base backoff");
  }

  @Test
  void clientErrorsDoNotCount() {
    for (int i = 0; i < 10; i++) {
      ejector.answered("b", 404, T0);
    }
    assertFalse(ejector.ejected("b", T0));
  }

  @Test
  void rejectsABackoffCapBelowTheBase() {
    assertEquals("maxBackoff must be at least baseBackoff (PT2S), was PT1S",
        assertThrows(IllegalArgumentException.class,
            () -> new OutlierEjector(5, Duration.ofSeconds(2), Duration.ofSeconds(1))).getMessage());
  }

  @Test
  void brokenResponsesCountTowardsTheStreak() {
    OutlierEjector.Node b = ejector.node("b");
    for (int i = 0; i < 4; i++) {
      b.failed(T0);
    }
    assertFalse(b.ejected(T0));
    b.answered(500, T0);
    assertTrue(b.ejected(T0), "4 broken responses and a 500 make 5 in a row");
    assertTrue(ejector.ejected("b", ms(999)));
  }

  @Test
  void rejectsANonPositiveBaseBackoff() {
    assertEquals("baseBackoff must be positive, was PT0S",
        assertThrows(IllegalArgumentException.class,
            () -> new OutlierEjector(5, Duration.ZERO, Duration.ofSeconds(1))).getMessage());
  }

  private static long ms(long millis) {
    return T0 + millis * 1_000_000L;
  }
}

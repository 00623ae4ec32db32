package dev.alpharen.ardpx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutlierEjectorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final OutlierEjector ejector = new OutlierEjector(5, Duration.ofSeconds(1),
      Duration.ofSeconds(8));

  @Test
  void aRefusedConnectionEjectsForTheBaseBackoff() {
    ejector.connectFailed("b", T0);
    assertTrue(ejector.ejected("b", T0.plusMillis(999)));
    assertFalse(ejector.ejected("b", T0.plusMillis(1000)));
  }

  @Test
  void theBackoffDoublesWithRepeatsUpToTheCap() {
    ejector.connectFailed("b", T0);
    ejector.connectFailed("b", T0.plusSeconds(1));
    assertTrue(ejector.ejected("b", T0.plusMillis(2999)));
    assertFalse(ejector.ejected("b", T0.plusSeconds(3)));
    for (int i = 0; i < 10; i++) {
      ejector.connectFailed("b", T0.plusSeconds(100));
    }
    assertTrue(ejector.ejected("b", T0.plusSeconds(107)));
    assertFalse(ejector.ejected("b", T0.plusSeconds(108)), "capped at 8 s");
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
    ejector.connectFailed("b", T0.plusSeconds(1));
    ejector.answered("b", 200, T0.plusSeconds(10));
    ejector.connectFailed("b", T0.plusSeconds(20));
    assertFalse(ejector.ejected("b", T0.plusSeconds(21)), "back to the base backoff");
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
}

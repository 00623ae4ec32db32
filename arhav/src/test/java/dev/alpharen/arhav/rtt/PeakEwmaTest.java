package dev.alpharen.arhav.rtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeakEwmaTest {
  private static final long MS = 1_000_000L;

  @Test
  void firstSampleIsTheEstimate() {
    PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10));
    assertFalse(ewma.measured());
    ewma.observe(Duration.ofMillis(5), 0);
    assertTrue(ewma.measured());
    assertEquals(Duration.ofMillis(5), ewma.estimate());
  }

  @Test
  void jumpsToASlowerSampleAtOnce() {
    PeakEwma ewma = new PeakEwma(Duration.ofSeconds(10));
    ewma.observe(Duration.ofMillis(1), 0);
    ewma.observe(Duration.ofMillis(50), 1 * MS);
    assertEquals(Duration.ofMillis(50), ewma.estimate());
  }

  @Test
  void decaysTowardFasterSamplesWithTime() {
    PeakEwma ewma = new PeakEwma(Duration.ofSeconds(1));
    ewma.observe(Duration.ofMillis(50), 0);
    ewma.observe(Duration.ofMillis(10), 10 * MS); // 10 ms later: mostly still the peak
    long early = ewma.estimate().toMillis();
    assertTrue(early > 45, "after 10 ms the estimate stays near 50, was " + early);
    ewma.observe(Duration.ofMillis(10), 5_010 * MS); // 5 decay periods later
    long late = ewma.estimate().toMillis();
    assertTrue(late < 11, "after 5 s the estimate is near 10, was " + late);
  }

  @Test
  void costGrowsWithRequestsInFlight() {
    PeakEwma ewma = new PeakEwma(Duration.ofSeconds(1));
    ewma.observe(Duration.ofMillis(2), 0);
    double idle = ewma.cost();
    ewma.begin();
    ewma.begin();
    assertEquals(idle * 3, ewma.cost(), 1e-6);
    ewma.end();
    ewma.end();
    ewma.end(); // never below zero
    assertEquals(0, ewma.inFlight());
    assertEquals(idle, ewma.cost(), 1e-6);
  }

  @Test
  void rejectsANonPositiveDecay() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PeakEwma(Duration.ZERO));
    assertEquals("decay must be positive, was PT0S", e.getMessage());
  }
}

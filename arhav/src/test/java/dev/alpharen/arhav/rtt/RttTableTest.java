package dev.alpharen.arhav.rtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RttTableTest {
  @Test
  void smoothsSamplesWithTheNewestWeightedByAlpha() {
    RttTable table = new RttTable(0.5);
    table.record("b", Duration.ofMillis(10));
    assertEquals(Map.of("b", 10_000L), table.row());
    table.record("b", Duration.ofMillis(20));
    assertEquals(Map.of("b", 15_000L), table.row());
    table.record("b", Duration.ofMillis(20));
    assertEquals(Map.of("b", 17_500L), table.row());
  }

  @Test
  void forgetsPeersThatLeft() {
    RttTable table = new RttTable(0.3);
    table.record("b", Duration.ofMillis(1));
    table.record("c", Duration.ofMillis(2));
    table.forget("b");
    assertEquals(Map.of("c", 2_000L), table.row());
  }

  @Test
  void rejectsAnAlphaOutsideTheUnitInterval() {
    assertEquals("alpha must be in (0, 1], was 0.0",
        assertThrows(IllegalArgumentException.class, () -> new RttTable(0)).getMessage());
  }
}

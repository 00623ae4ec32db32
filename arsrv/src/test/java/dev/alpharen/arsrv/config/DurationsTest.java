package dev.alpharen.arsrv.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @Test
  void parsesEveryUnit() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMinutes(5), Durations.parse("5m"));
    assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    assertEquals(Duration.ofDays(1), Durations.parse("1d"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
  }

  @Test
  void ignoresSurroundingWhitespace() {
    assertEquals(Duration.ofSeconds(30), Durations.parse("  30s\n"));
  }

  @Test
  void formatsInTheLargestExactUnit() {
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("1m", Durations.format(Duration.ofMillis(60_000)));
    assertEquals("2h", Durations.format(Duration.ofMinutes(120)));
    assertEquals("2d", Durations.format(Duration.ofHours(48)));
    assertEquals("0s", Durations.format(Duration.ZERO));
  }

  @Test
  void readsBackWhatItFormats() {
    for (Duration d : List.of(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(999),
        Duration.ofMillis(1001), Duration.ofSeconds(59), Duration.ofSeconds(3600),
        Duration.ofMinutes(61), Duration.ofHours(25), Duration.ofDays(365))) {
      assertEquals(d, Durations.parse(Durations.format(d)), () -> "round trip of " + d);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"30", "1.5s", "30sec", "30S", "-1s", "s", "", "PT30S", "1w"})
  void rejectsTextOutsideTheFormNamingTheAllowedForm(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Durations.parse(text));

    assertEquals("expected a duration such as 500ms, 30s, 5m, 1h or 1d, got \"" + text + "\"",
        e.getMessage());
    assertFalse(Durations.isValid(text));
  }

  @Test
  void acceptsWhatParseAccepts() {
    assertTrue(Durations.isValid("250ms"));
    assertTrue(Durations.isValid("7d"));
  }
}

package dev.alpharen.arclst.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.Versioned;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stored history keeps and refuses. */
final class VersionHistoryTest {
  @Test
  void keepsOnlyTheLastFiftyVersions() {
    VersionHistory history = VersionHistory.of(RegistryChangeTest.live(1));
    for (int v = 2; v <= 55; v++) {
      history = history.append(RegistryChangeTest.live(v));
    }

    assertEquals(50, history.versions().size());
    assertEquals(6, history.oldestKept());
    assertEquals(55, history.current().version());
    assertTrue(history.find(5).isEmpty());
    assertEquals("content 6", history.find(6).orElseThrow().content());
  }

  @Test
  void refusesVersionsOutOfOrder() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VersionHistory(List.of(RegistryChangeTest.live(2), RegistryChangeTest.live(2))));

    assertEquals("history of 'x' must be strictly ascending, found 2 after 2", e.getMessage());
  }

  @Test
  void refusesVersionsOfAnotherName() {
    Versioned other = new Versioned("y", 2, "", false, Instant.EPOCH, "ann");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VersionHistory(List.of(RegistryChangeTest.live(1), other)));

    assertEquals("history of 'x' must hold only that name, found 'y'", e.getMessage());
  }
}

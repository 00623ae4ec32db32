package dev.alpharen.arclst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link Variables} does; subclassed once per implementation. */
abstract class VariablesContractTest {
  /** The variables under test, empty. */
  abstract Variables variables();

  @Test
  void setThenGetReturnsTheValue() {
    variables().set("last-run", "2025-01-01");

    assertEquals(Optional.of("2025-01-01"), variables().get("last-run"));
  }

  @Test
  void getOfANameNeverSetIsEmpty() {
    assertEquals(Optional.empty(), variables().get("nope"));
  }

  @Test
  void setAgainReplacesTheValue() {
    variables().set("counter", "1");
    variables().set("counter", "2");

    assertEquals(Optional.of("2"), variables().get("counter"));
  }

  @Test
  void removeDropsTheValueAndSaysWhetherThereWasOne() {
    variables().set("counter", "1");

    assertTrue(variables().remove("counter"));
    assertFalse(variables().remove("counter"));
    assertEquals(Optional.empty(), variables().get("counter"));
  }

  @Test
  void snapshotHoldsEveryVariableSortedByName() {
    variables().set("b", "2");
    variables().set("c", "3", Duration.ofHours(1));
    variables().set("a", "1");

    Map<String, String> snapshot = variables().snapshot();

    assertEquals(List.of("a", "b", "c"), List.copyOf(snapshot.keySet()));
    assertEquals(Map.of("a", "1", "b", "2", "c", "3"), snapshot);
    assertThrows(UnsupportedOperationException.class, () -> snapshot.put("d", "4"));
  }

  @Test
  void valueWithATtlIsThereBeforeItEnds() {
    variables().set("token", "abc", Duration.ofHours(1));

    assertEquals(Optional.of("abc"), variables().get("token"));
  }

  @Test
  void refusesAnEmptyNameStatingTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> variables().set("", "x"));

    assertEquals("variable name must be 1-200 characters, was empty", e.getMessage());
  }

  @Test
  void refusesANameOverTwoHundredCharactersStatingTheRule() {
    variables().set("n".repeat(200), "fits");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> variables().set("n".repeat(201), "x"));

    assertEquals("variable name must be 1-200 characters, was 201 characters: '"
        + "n".repeat(20) + "...'", e.getMessage());
  }

  @Test
  void refusesControlCharactersInANameStatingTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> variables().set("a\tb", "x"));

    assertEquals("variable name must not contain control characters, found U+0009 at index 1"
        + " of 'a?b'", e.getMessage());
  }

  @Test
  void refusesATtlThatIsNotPositive() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> variables().set("token", "x", Duration.ZERO));
    assertEquals("ttl of 'token' must be positive (omit it for no expiry), was PT0S",
        zero.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> variables().set("token", "x", Duration.ofSeconds(-1)));
    assertEquals(Optional.empty(), variables().get("token"));
  }
}

package dev.alpharen.arclst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.alpharen.arclst.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@link Variables} contract plus expiry on a manual clock, for the node-local variables. */
final class NodeVariablesTest extends VariablesContractTest {
  private final ManualClock clock = ManualClock.atEpochOf2025();
  private final NodeVariables variables = new NodeVariables(clock);

  @Override
  Variables variables() {
    return variables;
  }

  @Test
  void valueVanishesOnceItsTtlHasPassed() {
    variables.set("token", "abc", Duration.ofMinutes(5));

    clock.advance(Duration.ofMinutes(5).minusNanos(1));
    assertEquals(Optional.of("abc"), variables.get("token"));

    clock.advance(Duration.ofNanos(1));
    assertEquals(Optional.empty(), variables.get("token"));
    assertEquals(Map.of(), variables.snapshot());
  }

  @Test
  void settingAgainWithoutTtlMakesTheValuePermanent() {
    variables.set("token", "abc", Duration.ofMinutes(5));
    variables.set("token", "def");

    clock.advance(Duration.ofDays(365));

    assertEquals(Optional.of("def"), variables.get("token"));
  }

  @Test
  void removeOfAnExpiredValueSaysThereWasNone() {
    variables.set("token", "abc", Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(6));

    assertFalse(variables.remove("token"));
  }

  @Test
  void runOnceRemovesOnlyExpiredValuesAndCountsThem() {
    variables.set("short", "1", Duration.ofMinutes(1));
    variables.set("shorter", "2", Duration.ofSeconds(1));
    variables.set("long", "3", Duration.ofHours(1));
    variables.set("forever", "4");
    clock.advance(Duration.ofMinutes(2));

    assertEquals(2, variables.runOnce());
    assertEquals(0, variables.runOnce());
    assertEquals(Map.of("long", "3", "forever", "4"), variables.snapshot());
  }

  @Test
  void variablesOfOneNodeAreNotSeenByAnother() {
    NodeVariables other = new NodeVariables(clock);
    variables.set("counter", "1");

    assertEquals(Optional.empty(), other.get("counter"));
  }
}

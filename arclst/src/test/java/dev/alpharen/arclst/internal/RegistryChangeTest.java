package dev.alpharen.arclst.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.Versioned;
import dev.alpharen.arclst.internal.RegistryChange.Refusal;
import dev.alpharen.arclst.internal.RegistryChange.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's change rules as a pure decision on a history, no Hazelcast involved. */
final class RegistryChangeTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:01:00Z");

  @Test
  void firstPutWritesVersionOneWithTimeAndAuthor() {
    Result result = RegistryChange.put("a", RegistryChange.ANY, "ann", T1).decide("x", null);

    assertEquals(new Versioned("x", 1, "a", false, T1, "ann"), result.written());
    assertEquals(Refusal.NONE, result.refusal());
  }

  @Test
  void putExpectingTheCurrentVersionWritesTheNextOne() {
    Result result = RegistryChange.put("b", 3, "bob", T1).decide("x", history(3));

    assertEquals(4, result.written().version());
    assertEquals("b", result.written().content());
  }

  @Test
  void putExpectingAnotherVersionIsRefusedWithTheActualOne() {
    Result result = RegistryChange.put("b", 2, "bob", T1).decide("x", history(3));

    assertNull(result.written());
    assertEquals(Refusal.CONFLICT, result.refusal());
    assertEquals(3, result.actualVersion());
  }

  @Test
  void putExpectingAbsenceIsRefusedForALiveEntryButAllowedOverATombstone() {
    RegistryChange create = RegistryChange.put("new", 0, "bob", T1);

    assertEquals(Refusal.CONFLICT, create.decide("x", history(2)).refusal());
    assertEquals(1, create.decide("x", null).written().version());
    VersionHistory deleted = history(2).append(tombstone(3));
    assertEquals(4, create.decide("x", deleted).written().version());
  }

  @Test
  void putExpectingAVersionOnAnAbsentNameIsRefused() {
    Result result = RegistryChange.put("b", 1, "bob", T1).decide("x", null);

    assertEquals(Refusal.CONFLICT, result.refusal());
    assertEquals(0, result.actualVersion());
  }

  @Test
  void deleteWritesATombstoneWithEmptyContent() {
    Versioned written = RegistryChange.delete(2, "bob", T1).decide("x", history(2)).written();

    assertEquals(new Versioned("x", 3, "", true, T1, "bob"), written);
  }

  @Test
  void deleteOfAnAbsentOrDeletedNameIsRefused() {
    RegistryChange delete = RegistryChange.delete(RegistryChange.ANY, "bob", T1);

    assertEquals(Refusal.ABSENT, delete.decide("x", null).refusal());
    assertEquals(Refusal.ALREADY_DELETED,
        delete.decide("x", history(1).append(tombstone(2))).refusal());
  }

  @Test
  void deleteExpectingAnotherVersionIsRefused() {
    assertEquals(Refusal.CONFLICT,
        RegistryChange.delete(1, "bob", T1).decide("x", history(2)).refusal());
  }

  @Test
  void rollbackWritesTheOldContentAsTheNextVersion() {
    Versioned written = RegistryChange.rollback(1, "bob", T1).decide("x", history(3)).written();

    assertEquals(new Versioned("x", 4, "content 1", false, T1, "bob"), written);
  }

  @Test
  void rollbackOfADeletedNameBringsItBack() {
    VersionHistory deleted = history(2).append(tombstone(3));

    Versioned written = RegistryChange.rollback(2, "bob", T1).decide("x", deleted).written();

    assertFalse(written.deleted());
    assertEquals("content 2", written.content());
    assertEquals(4, written.version());
  }

  @Test
  void rollbackToATombstoneDeletesAgain() {
    VersionHistory history = history(2).append(tombstone(3)).append(live(4));

    Versioned written = RegistryChange.rollback(3, "bob", T1).decide("x", history).written();

    assertTrue(written.deleted());
    assertEquals(5, written.version());
  }

  @Test
  void rollbackToTheCurrentOrAFutureVersionIsRefused() {
    assertEquals(Refusal.NOT_OLDER,
        RegistryChange.rollback(3, "bob", T1).decide("x", history(3)).refusal());
    assertEquals(Refusal.NOT_OLDER,
        RegistryChange.rollback(9, "bob", T1).decide("x", history(3)).refusal());
  }

  @Test
  void rollbackToAVersionNoLongerKeptIsRefusedWithTheKeptRange() {
    VersionHistory history = history(VersionHistory.KEPT + 5);

    Result result = RegistryChange.rollback(5, "bob", T1).decide("x", history);

    assertEquals(Refusal.NOT_KEPT, result.refusal());
    assertEquals(6, result.oldestKept());
    assertEquals(VersionHistory.KEPT + 5, result.actualVersion());
  }

  @Test
  void rollbackOfAnAbsentNameIsRefused() {
    assertEquals(Refusal.ABSENT, RegistryChange.rollback(1, "bob", T1).decide("x", null).refusal());
  }

  /** Versions 1..n of "x", all live, content "content i". */
  static VersionHistory history(int n) {
    List<Versioned> all = new ArrayList<>();
    for (int i = Math.max(1, n - VersionHistory.KEPT + 1); i <= n; i++) {
      all.add(live(i));
    }
    return new VersionHistory(all);
  }

  static Versioned live(long version) {
    return new Versioned("x", version, "content " + version, false, T0, "ann");
  }

  static Versioned tombstone(long version) {
    return new Versioned("x", version, "", true, T0, "ann");
  }
}

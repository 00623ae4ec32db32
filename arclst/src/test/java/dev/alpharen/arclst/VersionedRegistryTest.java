package dev.alpharen.arclst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.MapConfig;
import dev.alpharen.arclst.internal.HighestVersionMergePolicy;
import dev.alpharen.arclst.testing.ManualClock;
import dev.alpharen.arclst.testing.TestMembers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's contract as seen through one member; the cluster behaviour is in *ClusterTest. */
final class VersionedRegistryTest {
  @TempDir Path dir;
  private final ManualClock clock = ManualClock.atEpochOf2025();
  private TestMembers members;
  private VersionedRegistry registry;

  @BeforeEach
  void open() {
    members = TestMembers.start(1);
    registry = VersionedRegistry.open(members.get(0), "config", dir, clock);
  }

  @AfterEach
  void shutDown() {
    registry.close();
    members.close();
  }

  @Test
  void putOfANewNameWritesVersionOneAndGetReturnsIt() throws Exception {
    Versioned written = registry.put("db-url", "jdbc:h2:mem", 0, "ann");

    Versioned expected = new Versioned("db-url", 1, "jdbc:h2:mem", false, clock.instant(), "ann");
    assertEquals(expected, written);
    assertEquals(Optional.of(expected), registry.get("db-url"));
  }

  @Test
  void everyPutAddsOneToTheVersion() throws Exception {
    registry.put("db-url", "a", VersionedRegistry.ANY, "ann");
    clock.advance(Duration.ofMinutes(1));

    Versioned second = registry.put("db-url", "b", 1, "bob");

    assertEquals(2, second.version());
    assertEquals(Instant.parse("2025-01-01T00:01:00Z"), second.updatedAt());
    assertEquals("bob", registry.get("db-url").orElseThrow().updatedBy());
  }

  @Test
  void putExpectingAStaleVersionIsRefusedNamingNamespaceNameAndVersions() throws Exception {
    registry.put("db-url", "a", 0, "ann");
    registry.put("db-url", "b", 1, "ann");
    registry.put("db-url", "c", 2, "ann");

    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> registry.put("db-url", "d", 2, "bob"));

    assertEquals("config 'db-url' is at version 3, not 2", e.getMessage());
    assertEquals(3, e.actualVersion());
    assertEquals(2, e.expectedVersion());
    assertEquals("c", registry.get("db-url").orElseThrow().content());
  }

  @Test
  void putExpectingAbsenceIsRefusedWhenTheNameExists() throws Exception {
    registry.put("db-url", "a", 0, "ann");

    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> registry.put("db-url", "b", 0, "bob"));

    assertEquals("config 'db-url' already exists at version 1, expected it absent (expected"
        + " version 0)", e.getMessage());
  }

  @Test
  void deleteHidesTheEntryAndKeepsATombstoneInItsHistory() throws Exception {
    registry.put("db-url", "a", 0, "ann");

    Versioned tombstone = registry.delete("db-url", 1, "bob");

    assertEquals(new Versioned("db-url", 2, "", true, clock.instant(), "bob"), tombstone);
    assertEquals(Optional.empty(), registry.get("db-url"));
    assertEquals(List.of(1L, 2L),
        registry.history("db-url").stream().map(Versioned::version).toList());
    assertTrue(registry.history("db-url").get(1).deleted());
  }

  @Test
  void aDeletedNameCanBeCreatedAgainWithTheNextVersion() throws Exception {
    registry.put("db-url", "a", 0, "ann");
    registry.delete("db-url", VersionedRegistry.ANY, "ann");

    Versioned again = registry.put("db-url", "b", 0, "ann");

    assertEquals(3, again.version());
    assertEquals("b", registry.get("db-url").orElseThrow().content());
  }

  @Test
  void deleteOfAnAbsentNameSaysSo() {
    NoSuchElementException e = assertThrows(NoSuchElementException.class,
        () -> registry.delete("nope", VersionedRegistry.ANY, "ann"));

    assertEquals("config 'nope' does not exist", e.getMessage());
  }

  @Test
  void deleteOfADeletedNameSaysSo() throws Exception {
    registry.put("db-url", "a", 0, "ann");
    registry.delete("db-url", 1, "ann");

    NoSuchElementException e = assertThrows(NoSuchElementException.class,
        () -> registry.delete("db-url", VersionedRegistry.ANY, "ann"));

    assertEquals("config 'db-url' is already deleted (tombstone at version 2)", e.getMessage());
  }

  @Test
  void listShowsLiveEntriesSortedByName() throws Exception {
    registry.put("queue", "q", 0, "ann");
    registry.put("db-url", "d", 0, "ann");
    registry.put("mail", "m", 0, "ann");
    registry.delete("mail", 1, "ann");

    assertEquals(List.of("db-url", "queue"), registry.list().stream().map(Versioned::name).toList());
  }

  @Test
  void rollbackWritesTheOldContentAsANewVersion() throws Exception {
    registry.put("db-url", "good", 0, "ann");
    registry.put("db-url", "broken", 1, "bob");

    Versioned restored = registry.rollback("db-url", 1, "carl");

    assertEquals(new Versioned("db-url", 3, "good", false, clock.instant(), "carl"), restored);
    assertEquals("good", registry.get("db-url").orElseThrow().content());
  }

  @Test
  void rollbackBringsBackADeletedName() throws Exception {
    registry.put("db-url", "good", 0, "ann");
    registry.delete("db-url", 1, "bob");

    registry.rollback("db-url", 1, "carl");

    assertEquals("good", registry.get("db-url").orElseThrow().content());
  }

  @Test
  void rollbackToAVersionNoLongerKeptSaysWhichAreKept() throws Exception {
    for (int v = 1; v <= 55; v++) {
      registry.put("db-url", "content " + v, v - 1, "ann");
    }

    NoSuchElementException e = assertThrows(NoSuchElementException.class,
        () -> registry.rollback("db-url", 5, "bob"));

    assertEquals("config 'db-url' keeps versions 6-55; version 5 is no longer kept", e.getMessage());
    assertEquals(50, registry.history("db-url").size());
    assertEquals("content 6", registry.history("db-url").get(0).content());
  }

  @Test
  void rollbackToTheCurrentVersionIsAConflict() throws Exception {
    registry.put("db-url", "a", 0, "ann");

    VersionConflictException e = assertThrows(VersionConflictException.class,
        () -> registry.rollback("db-url", 1, "bob"));

    assertEquals("config 'db-url' is at version 1, cannot roll back to version 1 (must be older)",
        e.getMessage());
  }

  @Test
  void historyOfAnUnknownNameIsEmpty() {
    assertEquals(List.of(), registry.history("nope"));
  }

  @Test
  void refusesNamesBreakingTheRuleWithTheRule() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> registry.put("", "a", 0, "ann"));
    assertEquals("registry entry name must be 1-200 characters, was empty", empty.getMessage());

    IllegalArgumentException control = assertThrows(IllegalArgumentException.class,
        () -> registry.put("db\nurl", "a", 0, "ann"));
    assertEquals("registry entry name must not contain control characters, found U+000A at"
        + " index 2 of 'db?url'", control.getMessage());
  }

  @Test
  void refusesAnExpectedVersionBelowAny() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.put("db-url", "a", -2, "ann"));

    assertEquals("expectedVersion must be ANY (-1), 0 (absent) or a version >= 1, was -2",
        e.getMessage());
  }

  @Test
  void refusesANamespaceThatIsNotASimpleName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VersionedRegistry.open(members.get(0), "../etc", dir, clock));

    assertEquals("registry namespace must be 1-64 characters of a-z, 0-9, '.', '_', '-',"
        + " starting with a letter or digit, was '../etc'", e.getMessage());
  }

  @Test
  void registryMapsSettleASplitBrainByTheHighestVersion() {
    MapConfig config = members.get(0).getConfig().getMapConfig("alpharen.registry.config");

    assertEquals(HighestVersionMergePolicy.class.getName(), config.getMergePolicyConfig().getPolicy());
  }

  @Test
  void namespacesAreSeparate() throws Exception {
    try (VersionedRegistry routes = VersionedRegistry.open(members.get(0), "routes", dir, clock)) {
      routes.put("db-url", "route", 0, "ann");

      assertEquals(Optional.empty(), registry.get("db-url"));
      assertEquals(1, registry.put("db-url", "config", 0, "ann").version());
      assertEquals("route", routes.get("db-url").orElseThrow().content());
    }
  }
}

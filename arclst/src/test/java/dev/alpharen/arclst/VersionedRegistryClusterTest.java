package dev.alpharen.arclst;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.internal.RegistryStore;
import dev.alpharen.arclst.testing.ManualClock;
import dev.alpharen.arclst.testing.TestMembers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry across members: atomic changes, listeners, disk copies and whole-cluster restarts. */
final class VersionedRegistryClusterTest {
  private static final Duration AWAIT = Duration.ofSeconds(10);

  @TempDir Path dirA;
  @TempDir Path dirB;
  private final ManualClock clock = ManualClock.atEpochOf2025();
  private final List<TestMembers> clusters = new ArrayList<>();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void shutDown() {
    pool.shutdownNow();
    clusters.forEach(TestMembers::close);
  }

  @Test
  void concurrentPutsExpectingTheSameVersionFromTwoMembersLetExactlyOneWin() throws Exception {
    TestMembers members = start(2);
    VersionedRegistry a = VersionedRegistry.open(members.get(0), "config", dirA, clock);
    VersionedRegistry b = VersionedRegistry.open(members.get(1), "config", dirB, clock);
    a.put("db-url", "initial", 0, "ann");

    for (long round = 1; round <= 25; round++) {
      long expected = round;
      CyclicBarrier start = new CyclicBarrier(2);
      Future<Boolean> fromA = pool.submit(() -> tryPut(a, "a", expected, start));
      Future<Boolean> fromB = pool.submit(() -> tryPut(b, "b", expected, start));

      assertTrue(fromA.get() ^ fromB.get(), "round " + round + ": exactly one put must win");
      assertEquals(expected + 1, b.get("db-url").orElseThrow().version());
    }
    assertEquals(26, a.history("db-url").size());
  }

  @Test
  void listenerOnOneMemberSeesEveryChangeMadeOnAnotherIncludingTombstones() throws Exception {
    TestMembers members = start(2);
    VersionedRegistry a = VersionedRegistry.open(members.get(0), "config", dirA, clock);
    VersionedRegistry b = VersionedRegistry.open(members.get(1), "config", dirB, clock);
    List<Versioned> seen = new CopyOnWriteArrayList<>();
    b.addListener(seen::add);

    Versioned created = a.put("db-url", "a", 0, "ann");
    Versioned tombstone = a.delete("db-url", 1, "ann");

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(created, tombstone), seen));
  }

  @Test
  void closedListenerIsNotCalledAgain() throws Exception {
    TestMembers members = start(2);
    VersionedRegistry a = VersionedRegistry.open(members.get(0), "config", dirA, clock);
    VersionedRegistry b = VersionedRegistry.open(members.get(1), "config", dirB, clock);
    List<Versioned> closedOne = new CopyOnWriteArrayList<>();
    List<Versioned> openOne = new CopyOnWriteArrayList<>();
    AutoCloseable listener = b.addListener(closedOne::add);
    b.addListener(openOne::add);
    Versioned first = a.put("db-url", "a", 0, "ann");
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(first), closedOne));

    listener.close();
    Versioned second = a.put("db-url", "b", 1, "ann");

    await().atMost(AWAIT).untilAsserted(() -> assertEquals(List.of(first, second), openOne));
    assertEquals(List.of(first), closedOne);
  }

  @Test
  void everyMemberKeepsAFullCopyOnItsDisk() throws Exception {
    TestMembers members = start(2);
    VersionedRegistry a = VersionedRegistry.open(members.get(0), "config", dirA, clock);
    VersionedRegistry.open(members.get(1), "config", dirB, clock);

    a.put("db-url", "a", 0, "ann");
    a.put("db-url", "b", 1, "ann");
    a.put("queue", "q", 0, "ann");

    for (Path dir : List.of(dirA, dirB)) {
      awaitOnDisk(dir, "db-url", 2);
      awaitOnDisk(dir, "queue", 1);
      assertEquals(a.history("db-url"), store(dir).read("db-url").orElseThrow().versions());
    }
  }

  @Test
  void lastNodeClosingHasEveryChangeOnItsDiskEvenIfEventsWereStillQueued() throws Exception {
    TestMembers members = start(1);
    VersionedRegistry registry = VersionedRegistry.open(members.get(0), "config", dirA, clock);
    for (int i = 0; i < 40; i++) {
      registry.put("name-" + i, "a", 0, "ann");
      registry.put("name-" + i, "b", 1, "ann");
    }

    registry.close();
    members.close();

    List<Long> onDisk = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      onDisk.add(store(dirA).read("name-" + i).map(h -> h.current().version()).orElse(0L));
    }
    assertEquals(Collections.nCopies(40, 2L), onDisk);
  }

  @Test
  void clusterRestartedFromNothingComesBackFromTheDiskCopies() throws Exception {
    TestMembers first = start(2);
    VersionedRegistry a = VersionedRegistry.open(first.get(0), "config", dirA, clock);
    VersionedRegistry b = VersionedRegistry.open(first.get(1), "config", dirB, clock);
    a.put("db-url", "url-1", 0, "ann");
    b.put("db-url", "url-2", 1, "bob");
    b.put("mail", "smtp", 0, "bob");
    a.delete("mail", 1, "ann");
    a.put("queue", "q", 0, "ann");
    List<Versioned> dbHistory = a.history("db-url");
    for (Path dir : List.of(dirA, dirB)) {
      awaitOnDisk(dir, "db-url", 2);
      awaitOnDisk(dir, "mail", 2);
      awaitOnDisk(dir, "queue", 1);
    }
    first.close();

    TestMembers second = start(2);
    VersionedRegistry a2 = VersionedRegistry.open(second.get(0), "config", dirA, clock);
    VersionedRegistry b2 = VersionedRegistry.open(second.get(1), "config", dirB, clock);

    assertEquals(3, a2.restoreFromDisk());
    assertEquals(0, b2.restoreFromDisk());
    assertEquals(dbHistory, b2.history("db-url"));
    assertEquals(List.of("db-url", "queue"), b2.list().stream().map(Versioned::name).toList());
    assertEquals(Optional.empty(), b2.get("mail"));
    assertTrue(b2.history("mail").get(1).deleted());
    assertEquals(3, b2.put("db-url", "url-3", 2, "carl").version());
  }

  @Test
  void staleNodeRestoringAfterAFreshOneDoesNotRollDataBackAndCatchesUp() throws Exception {
    TestMembers first = start(2);
    VersionedRegistry a = VersionedRegistry.open(first.get(0), "config", dirA, clock);
    VersionedRegistry.open(first.get(1), "config", dirB, clock);
    a.put("db-url", "old", 0, "ann");
    a.put("mail", "smtp", 0, "ann");
    awaitOnDisk(dirB, "db-url", 1);
    awaitOnDisk(dirB, "mail", 1);
    first.get(1).shutdown(); // node B is down while A writes on
    a.put("db-url", "new", 1, "ann");
    a.delete("mail", 1, "ann");
    a.put("queue", "q", 0, "ann");
    awaitOnDisk(dirA, "db-url", 2);
    awaitOnDisk(dirA, "mail", 2);
    awaitOnDisk(dirA, "queue", 1);
    first.close();

    TestMembers second = start(2);
    VersionedRegistry fresh = VersionedRegistry.open(second.get(0), "config", dirA, clock);
    assertEquals(3, fresh.restoreFromDisk());
    VersionedRegistry stale = VersionedRegistry.open(second.get(1), "config", dirB, clock);

    assertEquals(0, stale.restoreFromDisk());
    assertEquals("new", stale.get("db-url").orElseThrow().content());
    assertEquals(Optional.empty(), stale.get("mail"));
    assertEquals(2, store(dirB).read("db-url").orElseThrow().current().version());
    assertTrue(store(dirB).read("mail").orElseThrow().current().deleted());
    assertTrue(store(dirB).read("queue").isPresent());
  }

  @Test
  void newerCopyOverridesAStaleNodeThatRestoredFirst() throws Exception {
    TestMembers first = start(1);
    VersionedRegistry a = VersionedRegistry.open(first.get(0), "config", dirA, clock);
    a.put("db-url", "old", 0, "ann");
    awaitOnDisk(dirA, "db-url", 1);
    first.close();
    TestMembers other = start(1);
    VersionedRegistry b = VersionedRegistry.open(other.get(0), "config", dirB, clock);
    b.restoreFromDisk();
    b.put("db-url", "x", 0, "bob");
    b.put("db-url", "new", 1, "bob");
    awaitOnDisk(dirB, "db-url", 2);
    other.close();

    TestMembers second = start(2);
    VersionedRegistry stale = VersionedRegistry.open(second.get(0), "config", dirA, clock);
    VersionedRegistry fresh = VersionedRegistry.open(second.get(1), "config", dirB, clock);

    assertEquals(1, stale.restoreFromDisk());
    assertEquals(1, fresh.restoreFromDisk());
    assertEquals("new", stale.get("db-url").orElseThrow().content());
    awaitOnDisk(dirA, "db-url", 2);
  }

  private TestMembers start(int count) {
    TestMembers members = TestMembers.start(count);
    clusters.add(members);
    return members;
  }

  private static boolean tryPut(VersionedRegistry registry, String author, long expected,
      CyclicBarrier start) throws Exception {
    start.await();
    try {
      registry.put("db-url", author, expected, author);
      return true;
    } catch (VersionConflictException e) {
      return false;
    }
  }

  /** The member's files as they are: a reader, which leaves the member's writes in flight be. */
  private static RegistryStore store(Path dir) {
    return RegistryStore.reader(dir.resolve("config"));
  }

  private static void awaitOnDisk(Path dir, String name, long version) {
    await().atMost(AWAIT).untilAsserted(() -> assertEquals(Optional.of(version),
        store(dir).read(name).map(h -> h.current().version())));
  }
}

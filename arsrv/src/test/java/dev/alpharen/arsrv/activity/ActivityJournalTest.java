package dev.alpharen.arsrv.activity;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivityJournalTest {
  @TempDir
  Path dir;

  @Test
  void acknowledgesADurableRecordOnlyOnceItIsInTheFile() throws Exception {
    ActivityFile file = open();
    try (ActivityJournal journal = new ActivityJournal(file, "c", "n1", 1024,
        Duration.ofMillis(5), Clock.systemUTC())) {
      assertTrue(journal.recordDurably(ActivityType.ADMIN_ACTION, Severity.NOTICE,
          ActivityRecorder.Scope.NONE, "admin PUT /api/v1/config/x", Map.of("user", "admin"),
          Duration.ofSeconds(10)));

      // read through a second handle, as after a crash
      try (ActivityFile reader = open()) {
        List<Activity> found = reader.query(ActivityQuery.latest(10), 10);
        assertEquals(1, found.size());
        assertEquals("admin PUT /api/v1/config/x", found.get(0).message());
        assertEquals(Map.of("user", "admin"), found.get(0).details());
        assertEquals("n1", found.get(0).node());
      }
    }
  }

  @Test
  void writesEverythingAcceptedWhenClosed() throws Exception {
    ActivityJournal journal = new ActivityJournal(open(), "c", "n1", 100_000,
        Duration.ofMillis(5), Clock.systemUTC());
    for (int i = 0; i < 20_000; i++) {
      journal.record(ActivityType.EXCHANGE_COMPLETED, Severity.INFO,
          new ActivityRecorder.Scope("orders", "ex-" + i, ""), "exchange completed", Map.of());
    }
    journal.close();

    assertEquals(0, journal.dropped());
    try (ActivityFile reader = open()) {
      int lines = 0;
      ActivityFile.Position at = ActivityFile.Position.START;
      ActivityFile.Batch batch;
      while (!(batch = reader.read(at, 5000)).lines().isEmpty()) {
        lines += batch.lines().size();
        at = batch.next();
      }
      assertEquals(20_000, lines);
    }
  }

  @Test
  void countsWhatComesAfterClosing() throws Exception {
    ActivityJournal journal = new ActivityJournal(open(), "c", "n1", 1024, Duration.ofMillis(1),
        Clock.systemUTC());
    journal.close();

    journal.record(ActivityType.NODE_STOPPED, Severity.INFO, "too late");

    assertEquals(1, journal.dropped());
  }

  @Test
  void reportsTheFileDownWithItsErrorUntilItTakesWritesAgain() throws Exception {
    Path segments = dir.resolve("activities");
    ActivityFile file = open(segments);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ActivityJournal journal = new ActivityJournal(file, "c", "n1", 1024,
        Duration.ofMillis(5), Clock.systemUTC())) {
      journal.bindTo(meters);
      assertEquals("up", journal.fileDetails().get("state"));
      Files.delete(segments); // the disk goes away under the journal

      CompletableFuture<Boolean> durable = recordDurablyLater(journal, "while the disk fails");
      await().atMost(Duration.ofSeconds(10)).until(() -> failures(journal) >= 2);
      Map<String, Object> down = journal.fileDetails();
      assertEquals("down", down.get("state"), down.toString());
      assertTrue(String.valueOf(down.get("error")).contains(segments.toString()), down.toString());
      assertTrue(down.containsKey("downSince"), down.toString());
      assertEquals(0.0, meters.get("alpharen.activity.sink.up").tag("sink", "file").gauge()
          .value());
      assertTrue(meters.get("alpharen.activity.write.failures").functionCounter().count() >= 2);
      assertFalse(durable.isDone(), "not acknowledged while it is not on the disk");

      Files.createDirectories(segments);
      assertTrue(durable.get(20, TimeUnit.SECONDS));
      Map<String, Object> up = journal.fileDetails();
      assertEquals("up", up.get("state"), up.toString());
      assertFalse(up.containsKey("error"), up.toString());
      assertEquals(1L, up.get("written"));
      assertTrue(failures(journal) >= 2, "the failures stay counted");
      assertEquals(1.0, meters.get("alpharen.activity.sink.up").tag("sink", "file").gauge()
          .value());
    }
    try (ActivityFile reader = open(segments)) {
      assertEquals(List.of("while the disk fails"), reader.query(ActivityQuery.latest(10), 10)
          .stream().map(Activity::message).toList());
    }
  }

  @Test
  void aFullQueueMakesRecordingWaitAtMostTheOfferTimeoutThenCountsADrop() throws Exception {
    Path segments = dir.resolve("activities");
    ActivityFile file = open(segments);
    Duration offerTimeout = Duration.ofMillis(20);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (ActivityJournal journal = new ActivityJournal(file, "c", "n1", 4, offerTimeout,
        Clock.systemUTC())) {
      journal.bindTo(meters);
      stallWriter(journal, segments);

      assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
        for (int i = 0; i < 4; i++) {
          journal.record(ActivityType.EXCHANGE_FAILED, Severity.ERROR, "queued " + i);
        }
        assertEquals(4, journal.queued(), "the queue holds its capacity");
        assertEquals(0, journal.dropped());
        for (int i = 0; i < 3; i++) {
          long start = System.nanoTime();
          journal.record(ActivityType.EXCHANGE_FAILED, Severity.ERROR, "does not fit " + i);
          assertTrue(System.nanoTime() - start >= offerTimeout.toNanos(),
              "waited for room before dropping");
        }
      }, "recording must not block on a stalled writer");
      assertEquals(4, journal.queued(), "bounded: nothing beyond the capacity is held");
      assertEquals(3, journal.dropped());
      assertEquals(3.0, meters.get("alpharen.activity.dropped").functionCounter().count());
      assertEquals(4.0, meters.get("alpharen.activity.queued").gauge().value());

      Files.createDirectories(segments); // the writer catches up with everything accepted
      await().atMost(Duration.ofSeconds(20)).until(() -> journal.queued() == 0
          && Long.valueOf(5).equals(journal.fileDetails().get("written")));
      assertEquals(3, journal.dropped());
    }
    try (ActivityFile reader = open(segments)) {
      assertEquals(List.of("queued 3", "queued 2", "queued 1", "queued 0", "stalled"),
          reader.query(ActivityQuery.latest(10), 10).stream().map(Activity::message).toList());
    }
  }

  @Test
  void closingWhileTheDiskFailsCountsWhatItCannotWriteAndReturns() throws Exception {
    Path segments = dir.resolve("activities");
    ActivityJournal journal = new ActivityJournal(open(segments), "c", "n1", 4,
        Duration.ofMillis(5), Clock.systemUTC());
    CompletableFuture<Boolean> held = stallWriter(journal, segments);
    for (int i = 0; i < 4; i++) {
      journal.record(ActivityType.EXCHANGE_FAILED, Severity.ERROR, "queued " + i);
    }

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> journal.close(Duration.ofMillis(300)),
        "close must end although the disk keeps failing");

    assertFalse(journal.writerAlive(), "the writer stopped retrying");
    assertFalse(held.get(10, TimeUnit.SECONDS), "the batch it held is reported as not written");
    assertEquals(5, journal.dropped(), "the held batch and the queue, all counted");
    assertEquals(0L, journal.fileDetails().get("written"));
  }

  /**
   * Takes the file's directory away and records one activity, which the writer then holds,
   * retrying, while nothing else moves: the queue fills from here.
   */
  private CompletableFuture<Boolean> stallWriter(ActivityJournal journal, Path segments)
      throws Exception {
    Files.delete(segments);
    CompletableFuture<Boolean> held = recordDurablyLater(journal, "stalled");
    await().atMost(Duration.ofSeconds(10)).until(() -> failures(journal) >= 1
        && journal.queued() == 0);
    return held;
  }

  private static CompletableFuture<Boolean> recordDurablyLater(ActivityJournal journal,
      String message) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return journal.recordDurably(ActivityType.ADMIN_ACTION, Severity.NOTICE,
            ActivityRecorder.Scope.NONE, message, Map.of(), Duration.ofSeconds(60));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static long failures(ActivityJournal journal) {
    return (Long) journal.fileDetails().get("failures");
  }

  private ActivityFile open() throws Exception {
    return open(dir);
  }

  private static ActivityFile open(Path at) throws Exception {
    return ActivityFile.open(new ActivityFile.Settings(at, 64 << 20, 10, Duration.ofDays(1)),
        Clock.systemUTC());
  }
}

package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  void countsWhatDoesNotFitInsteadOfBlocking() throws Exception {
    ActivityJournal journal = new ActivityJournal(open(), "c", "n1", 1024, Duration.ofMillis(1),
        Clock.systemUTC());
    journal.close();

    journal.record(ActivityType.NODE_STOPPED, Severity.INFO, "too late");

    assertEquals(1, journal.dropped());
  }

  private ActivityFile open() throws Exception {
    return ActivityFile.open(new ActivityFile.Settings(dir, 64 << 20, 10, Duration.ofDays(1)),
        Clock.systemUTC());
  }
}

package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivityFileTest {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));

  @Test
  void rollsBySizeAndByDay() throws Exception {
    try (ActivityFile file = ActivityFile.open(settings(4096, 100, Duration.ofDays(30)), clock)) {
      file.append(lines(0, 40)); // ~4 KiB: the next append rolls
      file.append(lines(40, 1));
      clock.advance(Duration.ofDays(1));
      file.append(lines(41, 1));

      assertEquals(List.of("activities-20261125-000001.jsonl", "activities-20261125-000002.jsonl",
          "activities-20261126-000001.jsonl"), names(file));
      assertEquals(42, file.query(ActivityQuery.latest(1000), 1000).size());
      assertEquals(List.of("a41", "a40", "a39"), file.query(ActivityQuery.latest(3), 3).stream()
          .map(Activity::id).toList());
      assertEquals(List.of("a41"), file.query(a -> true, 100,
          Instant.parse("2026-11-26T00:00:00Z")).stream().map(Activity::id).toList());
    }
  }

  @Test
  void keepsWritingAfterARestartAndReadsNewestFirst() throws Exception {
    try (ActivityFile file = ActivityFile.open(settings(1 << 20, 10, Duration.ofDays(30)), clock)) {
      file.append(lines(0, 3));
    }
    try (ActivityFile file = ActivityFile.open(settings(1 << 20, 10, Duration.ofDays(30)), clock)) {
      file.append(lines(3, 2));

      assertEquals(List.of("activities-20261125-000001.jsonl"), names(file));
      assertEquals(List.of("a4", "a3", "a2", "a1", "a0"), file.query(ActivityQuery.latest(10), 10)
          .stream().map(Activity::id).toList());
    }
  }

  @Test
  void cutsALineTornByACrash() throws Exception {
    Path segment;
    try (ActivityFile file = ActivityFile.open(settings(1 << 20, 10, Duration.ofDays(30)), clock)) {
      file.append(lines(0, 2));
      segment = file.segments().get(0);
    }
    Files.writeString(segment, "{\"id\":\"torn", StandardOpenOption.APPEND);

    try (ActivityFile file = ActivityFile.open(settings(1 << 20, 10, Duration.ofDays(30)), clock)) {
      file.append(lines(2, 1));

      assertEquals(List.of("a2", "a1", "a0"), file.query(ActivityQuery.latest(10), 10).stream()
          .map(Activity::id).toList());
    }
  }

  @Test
  void deletesTheOldestSegmentsPastTheCountAndTheAge() throws Exception {
    try (ActivityFile file = ActivityFile.open(settings(4096, 3, Duration.ofDays(2)), clock)) {
      for (int day = 0; day < 3; day++) {
        file.append(lines(day * 100, 40));
        file.append(lines(day * 100 + 40, 1)); // a second segment that day
        clock.advance(Duration.ofDays(1));
      }
      assertEquals(List.of("activities-20261126-000002.jsonl", "activities-20261127-000001.jsonl",
          "activities-20261127-000002.jsonl"), names(file));

      clock.advance(Duration.ofDays(3));
      file.append(lines(1000, 1));

      assertEquals(List.of("activities-20261201-000001.jsonl"), names(file));
    }
  }

  @Test
  void readsWholeLinesFromACursorAcrossSegments() throws Exception {
    try (ActivityFile file = ActivityFile.open(settings(4096, 100, Duration.ofDays(30)), clock)) {
      file.append(lines(0, 40));
      file.append(lines(40, 5));

      ActivityFile.Batch first = file.read(ActivityFile.Position.START, 30);
      ActivityFile.Batch rest = file.read(first.next(), 100);

      assertEquals(30, first.lines().size());
      assertEquals(15, rest.lines().size());
      assertTrue(rest.lines().get(14).contains("\"a44\""));
      assertEquals(file.end(), rest.next());
      assertEquals(List.of(), file.read(rest.next(), 10).lines());
    }
  }

  @Test
  void queriesFilterBySeverityAndATimeWindow() throws Exception {
    try (ActivityFile file = ActivityFile.open(settings(1 << 20, 10, Duration.ofDays(30)), clock)) {
      Severity[] severities = {Severity.INFO, Severity.WARNING, Severity.ERROR, Severity.NOTICE};
      for (int i = 0; i < 8; i++) { // one an hour, across midnight: two segments
        file.append(List.of(new Activity("a" + i, clock.instant(), "c", "n1",
            ActivityType.EXCHANGE_FAILED, severities[i % 4], "orders", "", "", "m" + i,
            java.util.Map.of()).toJson()));
        clock.advance(Duration.ofHours(2));
      }
      Instant first = Instant.parse("2026-11-25T10:00:00Z");

      assertEquals(List.of("a6", "a5", "a2", "a1"), ids(file, Severity.WARNING, Instant.EPOCH,
          Instant.MAX));
      assertEquals(List.of("a7", "a6", "a5", "a3", "a2", "a1"), ids(file, Severity.NOTICE,
          Instant.EPOCH, Instant.MAX));
      // since is inclusive, until exclusive
      assertEquals(List.of("a6", "a5", "a4", "a3"), ids(file, Severity.DEBUG,
          first.plus(Duration.ofHours(6)), first.plus(Duration.ofHours(14))));
      // a7 was recorded at midnight, in the second day's segment; the first one is not read
      assertEquals(List.of("a7"), ids(file, Severity.DEBUG, Instant.parse("2026-11-26T00:00:00Z"),
          Instant.MAX));
      assertEquals(List.of("a2", "a1", "a0"), ids(file, Severity.DEBUG, Instant.EPOCH,
          first.plus(Duration.ofHours(5))));
      assertEquals(List.of("a5"), ids(file, Severity.WARNING, first.plus(Duration.ofHours(9)),
          first.plus(Duration.ofHours(11))));
    }
  }

  private static List<String> ids(ActivityFile file, Severity least, Instant since, Instant until)
      throws Exception {
    ActivityQuery q = new ActivityQuery(java.util.Set.of(), least, "", "", since, until, 100);
    return file.query(q, q.limit(), q.since()).stream().map(Activity::id).toList();
  }

  private ActivityFile.Settings settings(long rollBytes, int keepFiles, Duration keepFor) {
    return new ActivityFile.Settings(dir, rollBytes, keepFiles, keepFor);
  }

  private List<String> lines(int from, int count) {
    return IntStream.range(from, from + count).mapToObj(i -> new Activity("a" + i,
        clock.instant(), "c", "n1", ActivityType.EXCHANGE_COMPLETED, Severity.INFO, "orders",
        "ex-" + i, "", "exchange completed", Activity.details("durationMs", i)).toJson())
        .toList();
  }

  private static List<String> names(ActivityFile file) throws Exception {
    return file.segments().stream().map(p -> p.getFileName().toString()).toList();
  }
}

package dev.alpharen.arsrv.activity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one sink from the journal's file: reads the lines after its cursor, keeps those its rules
 * let through, sends them, and only then moves the cursor, which it keeps in
 * {@code cursor-<sink>.json} so that a restart resumes where it stopped. The rules judge each
 * activity once: a batch that failed is kept as it was chosen and sent again, so a rate limit never
 * holds back on a retry what it let through before. A failing sink is retried with exponential
 * backoff (1 s doubling to 60 s) and reported as down, with the error, in {@link #status()}; the
 * file keeps everything meanwhile. {@link #runOnce()} is the step (one caller at a time); the
 * thread of {@link #start()} runs it whenever the journal wrote or a backoff ended. Thread-safe.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
  private static final int BATCH = 500;
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final ActivitySink sink;
  private final List<Rule> rules;
  private final ActivityFile file;
  private final SinkCursor cursor;
  private final Clock clock;
  private final LongSupplier nanos;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();
  private final Object wake = new Object();
  private volatile Status status;
  private volatile boolean closed;
  private Duration backoff = FIRST_BACKOFF;
  private boolean woken = true; // guarded by wake
  private Chosen unsent; // the runOnce caller's only
  private Thread thread;

  /** Activities the rules chose from the lines before {@code next}, not yet taken by the sink. */
  private record Chosen(List<Activity> activities, ActivityFile.Position next) {}

  /**
   * The sink's state, for {@code /health/ready} and the log.
   *
   * @param up whether the last attempt succeeded (true before the first)
   * @param error why the last attempt failed, or ""
   * @param since when the sink went up or down
   */
  public record Status(String sink, boolean up, String error, Instant since) {}

  /**
   * @param rules the rules of this sink; at least one
   * @param stateDir where the cursor is kept
   * @param nanos a monotonic clock for the rate limits
   */
  public Forwarder(ActivitySink sink, List<Rule> rules, ActivityFile file, Path stateDir,
      Clock clock, LongSupplier nanos) throws IOException {
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("sink " + sink.name() + " needs at least one rule");
    }
    this.sink = sink;
    this.rules = List.copyOf(rules);
    this.file = file;
    this.clock = clock;
    this.nanos = nanos;
    this.status = new Status(sink.name(), true, "", clock.instant());
    this.cursor = SinkCursor.open(stateDir, sink.name(), file.end());
  }

  /** Starts the forwarding thread. */
  public Forwarder start() {
    thread = new Thread(this::loop, "activity-forwarder-" + sink.name());
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Tells the thread that the journal wrote something. */
  public void wakeUp() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /**
   * One step: forwards up to one batch after the cursor.
   *
   * @return whether there may be more to forward at once
   * @throws IOException when the sink failed (the cursor stays)
   */
  public boolean runOnce() throws IOException {
    Chosen batch = unsent != null ? unsent : choose();
    if (batch == null) {
      return false;
    }
    if (!batch.activities().isEmpty()) {
      unsent = batch; // judged once: sent again as it is until the sink takes it
      try {
        sink.send(batch.activities());
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
        if (status.up()) {
          log.warn("activity sink {} is down: {}; the file keeps its activities, retrying with"
              + " backoff", sink.name(), e.toString());
        }
        status = new Status(sink.name(), false, String.valueOf(e.getMessage()),
            status.up() ? clock.instant() : status.since());
        throw e instanceof IOException io ? io : new IOException(e.toString(), e);
      }
      unsent = null;
      sent.addAndGet(batch.activities().size());
    }
    if (!status.up()) {
      log.info("activity sink {} is up again since {}", sink.name(), status.since());
      status = new Status(sink.name(), true, "", clock.instant());
    }
    cursor.move(batch.next());
    return true;
  }

  /** Reads the next lines and lets the rules judge them; null when there are none. */
  private Chosen choose() throws IOException {
    ActivityFile.Batch batch = file.read(cursor.position(), BATCH);
    if (batch.skippedBytes() > 0) {
      log.error("activity sink {} fell behind retention: {} bytes of segment {} were deleted"
          + " before they were sent", sink.name(), batch.skippedBytes(),
          cursor.position().segment());
    }
    if (batch.lines().isEmpty()) {
      cursor.move(batch.next());
      return null;
    }
    List<Activity> chosen = new ArrayList<>();
    long now = nanos.getAsLong();
    for (String line : batch.lines()) {
      Activity activity;
      try {
        activity = Activity.fromJson(line);
      } catch (IllegalArgumentException e) {
        log.warn("activity sink {}: skipping a line that is not an activity: {}", sink.name(),
            e.getMessage());
        continue;
      }
      switch (Rule.judge(rules, activity, now)) {
        case SEND -> chosen.add(activity);
        case SUPPRESSED -> suppressed.incrementAndGet();
        case IGNORED -> { }
      }
    }
    return new Chosen(chosen, batch.next());
  }

  /** The sink's state now. */
  public Status status() {
    return status;
  }

  /** The details {@code /health/ready} shows for this sink. */
  public Map<String, Object> details() {
    Status s = status;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state", s.up() ? "up" : "down");
    if (!s.up()) {
      d.put("error", s.error());
      d.put("downSince", s.since().toString());
    }
    d.put("sent", sent.get());
    d.put("failures", failures.get());
    d.put("suppressedByRateLimit", suppressed.get());
    d.put("behindBytes", behindBytes());
    return d;
  }

  /** Publishes {@code alpharen_activity_sink_*} meters tagged with the sink's name. */
  public void bindTo(MeterRegistry meters) {
    Tags tags = Tags.of("sink", sink.name());
    Gauge.builder("alpharen.activity.sink.up", this, f -> f.status.up() ? 1 : 0).tags(tags)
        .description("1 while the sink takes activities, 0 while it fails").register(meters);
    Gauge.builder("alpharen.activity.sink.behind.bytes", this, Forwarder::behindBytes).tags(tags)
        .description("bytes of the journal file the sink has not received yet").register(meters);
    meters.more().counter("alpharen.activity.sink.sent", tags, sent);
    meters.more().counter("alpharen.activity.sink.failures", tags, failures);
    meters.more().counter("alpharen.activity.sink.suppressed", tags, suppressed);
  }

  /** Bytes of the file after the cursor. */
  public long behindBytes() {
    try {
      long behind = 0;
      ActivityFile.Position at = cursor.position();
      for (Path segment : file.segments()) {
        String name = segment.getFileName().toString();
        int order = name.compareTo(at.segment());
        if (order == 0) {
          behind += Math.max(0, Files.size(segment) - at.offset());
        } else if (order > 0) {
          behind += Files.size(segment);
        }
      }
      return behind;
    } catch (IOException e) {
      return -1;
    }
  }

  private void loop() {
    while (!closed) {
      try {
        boolean more = runOnce();
        backoff = FIRST_BACKOFF;
        if (!more) {
          waitForWork(Duration.ofSeconds(1));
        }
      } catch (IOException e) {
        waitFor(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
            : backoff.multipliedBy(2);
      } catch (RuntimeException e) {
        log.warn("activity sink {}: forwarding failed: {}", sink.name(), e.toString());
        waitFor(backoff);
      }
    }
  }

  private void waitForWork(Duration most) {
    synchronized (wake) {
      if (!woken && !closed) {
        try {
          wake.wait(most.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
      woken = false;
    }
  }

  private void waitFor(Duration delay) {
    long until = System.nanoTime() + delay.toNanos();
    synchronized (wake) {
      long left;
      while (!closed && (left = until - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          closed = true;
        }
      }
    }
  }

  /** Stops the thread (a batch being sent finishes) and closes the sink. */
  @Override
  public void close() {
    closed = true;
    wakeUp();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      sink.close();
    } catch (Exception e) {
      log.debug("closing activity sink {} failed: {}", sink.name(), e.toString());
    }
  }
}

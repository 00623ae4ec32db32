package dev.alpharen.arsrv.activity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's activity journal: a bounded queue that one writer thread drains in batches into the
 * {@link ActivityFile}, forcing each batch to the disk before it counts as written. Recording never
 * waits longer than {@code offerTimeout}; an activity that does not fit by then is counted in
 * {@code alpharen_activity_dropped_total} and logged, never dropped silently. A failing disk is
 * retried with backoff and reported in {@link #fileDetails()}. Closing writes everything accepted
 * before it returns, or, if the disk still fails when its time is up, counts what it could not
 * write as dropped. Listeners (the sink forwarders) hear after every batch. Thread-safe.
 */
public final class ActivityJournal implements ActivityRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActivityJournal.class);
  private static final int BATCH = 1024;
  private static final Entry STOP = new Entry(null, null);
  private static final int CLOSE_SECONDS = 30;

  private final ActivityFile file;
  private final String cluster;
  private final String node;
  private final Clock clock;
  private final Duration offerTimeout;
  private final BlockingQueue<Entry> queue;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private volatile boolean closed;
  private volatile boolean writerDone;
  private final FileHealth health = new FileHealth();
  private volatile long lastDropLog;
  private final Bytes buffer = new Bytes(); // the writer thread's only

  /** A reusable buffer whose bytes are read in place. */
  private static final class Bytes extends java.io.ByteArrayOutputStream {
    Bytes() {
      super(256 * 1024);
    }

    byte[] bytes() {
      return buf;
    }
  }

  private record Entry(Activity activity, CompletableFuture<Void> written) {}

  /**
   * @param queueSize how many activities may wait for the writer
   * @param offerTimeout how long {@link #record} may wait for room in a full queue
   */
  public ActivityJournal(ActivityFile file, String cluster, String node, int queueSize,
      Duration offerTimeout, Clock clock) {
    this.file = file;
    this.cluster = cluster;
    this.node = node;
    this.clock = clock;
    this.offerTimeout = offerTimeout;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.idPrefix = node + "-" + Long.toString(clock.millis(), 36) + "-";
    this.writer = new Thread(this::writeLoop, "activity-journal");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public void record(ActivityType type, Severity severity, Scope scope, String message,
      Map<String, Object> details) {
    offer(activity(type, severity, scope, message, details), null);
  }

  /**
   * Records an activity and waits until it is on the disk: for admin actions and tests.
   *
   * @return whether it was written within {@code timeout}
   */
  public boolean recordDurably(ActivityType type, Severity severity, Scope scope, String message,
      Map<String, Object> details, Duration timeout) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!offer(activity(type, severity, scope, message, details), done)) {
      return false;
    }
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Calls {@code listener} on the writer thread after each batch reached the disk. */
  public void onWritten(Runnable listener) {
    listeners.add(listener);
  }

  /** The file the journal writes, for readers. */
  public ActivityFile file() {
    return file;
  }

  /** Activities waiting for the writer. */
  public int queued() {
    return queue.size();
  }

  /** Activities that did not fit the queue in time (or came after closing). */
  public long dropped() {
    return dropped.get();
  }

  /** Publishes {@code alpharen_activity_*} meters of the journal. */
  public void bindTo(MeterRegistry meters) {
    Gauge.builder("alpharen.activity.queued", queue, BlockingQueue::size)
        .description("activities waiting for the journal's writer").register(meters);
    Gauge.builder("alpharen.activity.queue.capacity", queue,
        q -> q.size() + q.remainingCapacity()).register(meters);
    meters.more().counter("alpharen.activity.recorded", List.of(), sequence);
    meters.more().counter("alpharen.activity.written", List.of(), written);
    meters.more().counter("alpharen.activity.dropped", List.of(), dropped);
    meters.more().counter("alpharen.activity.write.failures", List.of(), health.failures());
    Gauge.builder("alpharen.activity.sink.up", health, h -> h.up() ? 1 : 0)
        .tag("sink", "file").description("1 while the sink takes activities, 0 while it fails")
        .register(meters);
  }

  private Activity activity(ActivityType type, Severity severity, Scope scope, String message,
      Map<String, Object> details) {
    return new Activity(idPrefix + sequence.incrementAndGet(), clock.instant(), cluster, node,
        type, severity, scope.integration(), scope.exchangeId(), scope.correlationId(), message,
        details);
  }

  private boolean offer(Activity activity, CompletableFuture<Void> done) {
    boolean taken = false;
    if (!closed) {
      try {
        Entry entry = new Entry(activity, done);
        taken = queue.offer(entry) || queue.offer(entry, offerTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
        if (taken && writerDone && queue.remove(entry)) {
          taken = false; // came in after close() took the last leftovers
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!taken) {
      long n = dropped.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastDropLog > TimeUnit.SECONDS.toNanos(10)) {
        lastDropLog = now;
        log.warn("activity journal of node {} {}: dropped {} {} so far (latest: {} {})", node,
            closed ? "is closed" : "queue is full (" + queue.size() + ")", n,
            n == 1 ? "activity" : "activities", activity.type(), activity.message());
      }
    }
    return taken;
  }

  private void writeLoop() {
    List<Entry> batch = new ArrayList<>(BATCH);
    boolean stopping = false;
    try {
      while (!stopping || !queue.isEmpty()) {
        Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        stopping |= batch.remove(STOP);
        try {
          writeBatch(batch);
        } catch (RuntimeException e) {
          // a bug (details that do not serialize): say so loudly, keep the journal running
          log.error("activity journal of node {} could not write a batch of {} activities: {}",
              node, batch.size(), e.toString(), e);
          abandon(batch, e);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      // only close() interrupts, once its time is up: what is left cannot be written in time
      queue.drainTo(batch);
      batch.remove(STOP);
      log.error("activity journal of node {} is closing and cannot write {} activities (the file"
          + " fails: {}); counted as dropped", node, batch.size(), health.error());
      abandon(batch, e);
    }
  }

  /** Counts activities that will never be written and fails their durable waiters. */
  private void abandon(List<Entry> entries, Exception why) {
    dropped.addAndGet(entries.size());
    for (Entry entry : entries) {
      if (entry.written() != null) {
        entry.written().completeExceptionally(why);
      }
    }
  }

  /**
   * Writes the batch, retrying a failing disk with backoff (never losing what was accepted) until
   * it works; an interrupt from {@link #close(Duration)} ends the retries.
   */
  private void writeBatch(List<Entry> batch) throws InterruptedException {
    buffer.reset();
    try (com.fasterxml.jackson.core.JsonGenerator g = Activity.lineGenerator(buffer)) {
      for (Entry e : batch) {
        e.activity().writeJson(g);
        g.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("activities are not serializable", e);
    }
    long backoffMs = 100;
    while (true) {
      try {
        file.append(buffer.bytes(), buffer.size());
        break;
      } catch (IOException e) {
        health.failed(e, clock.instant());
        log.error("activity journal of node {} cannot write {} activities: {}; retrying in {} ms",
            node, batch.size(), e.toString(), backoffMs);
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
    Instant failingSince = health.wrote();
    if (failingSince != null) {
      log.info("activity journal of node {} writes again (failing since {}, {} failed writes)",
          node, failingSince, health.failures().get());
    }
    written.addAndGet(batch.size());
    for (Entry e : batch) {
      if (e.written() != null) {
        e.written().complete(null);
      }
    }
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("activity listener failed: {}", e.toString());
      }
    }
  }

  /** What {@code /health/ready} shows for the file: up, or down with the error and since when. */
  public Map<String, Object> fileDetails() {
    return health.details(written.get());
  }

  /** Whether the writer thread still runs: for tests. */
  boolean writerAlive() {
    return writer.isAlive();
  }

  /** {@link #close(Duration)} with {@value #CLOSE_SECONDS} s for writing what was accepted. */
  @Override
  public void close() {
    close(Duration.ofSeconds(CLOSE_SECONDS));
  }

  /**
   * Stops taking activities, writes all that were accepted, closes the file. If the file still
   * fails when {@code timeout} is up, the writer stops retrying: what it could not write is
   * counted as dropped and logged, and close returns.
   */
  public void close(Duration timeout) {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!queue.offer(STOP, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        writer.interrupt(); // full and not draining: the writer is stuck on the disk
      }
      writer.join(Math.max(1, timeout.toMillis()));
      if (writer.isAlive()) {
        writer.interrupt();
        writer.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      writer.interrupt();
    }
    writerDone = true;
    List<Entry> late = new ArrayList<>();
    queue.drainTo(late);
    late.remove(STOP);
    abandon(late, new IllegalStateException("activity journal closed"));
    try {
      file.close();
    } catch (IOException e) {
      log.warn("closing the activity file failed: {}", e.toString());
    }
    log.info("activity journal of node {} closed: {} written, {} dropped", node, written.get(),
        dropped.get());
  }
}

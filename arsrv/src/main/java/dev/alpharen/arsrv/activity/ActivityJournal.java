package dev.alpharen.arsrv.activity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
 * {@code alpharen_activity_dropped_total} and logged, never dropped silently. Closing writes
 * everything accepted before it returns. Listeners (the sink forwarders) hear after every batch.
 * Thread-safe.
 */
public final class ActivityJournal implements ActivityRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ActivityJournal.class);
  private static final int BATCH = 1024;
  private static final Entry STOP = new Entry(null, null);

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
  private final AtomicLong failedWrites = new AtomicLong();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Thread writer;
  private volatile boolean closed;
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
    meters.more().counter("alpharen.activity.write.failures", List.of(), failedWrites);
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
    while (!stopping || !queue.isEmpty()) {
      try {
        Entry first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        stopping |= batch.remove(STOP);
        writeBatch(batch);
      } catch (InterruptedException e) {
        stopping = true; // finish what was accepted, then stop
      } catch (RuntimeException e) {
        // a bug (details that do not serialize): say so loudly, keep the journal running
        dropped.addAndGet(batch.size());
        log.error("activity journal of node {} could not write a batch of {} activities: {}",
            node, batch.size(), e.toString(), e);
        batch.forEach(entry -> {
          if (entry.written() != null) {
            entry.written().completeExceptionally(e);
          }
        });
      }
      batch.clear();
    }
  }

  /** Writes the batch; retries a failing disk (never losing what was accepted) until closed. */
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
        failedWrites.incrementAndGet();
        log.error("activity journal of node {} cannot write {} activities: {}; retrying in {} ms",
            node, batch.size(), e.toString(), backoffMs);
        Thread.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
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

  /** Stops taking activities, writes all that were accepted, closes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      queue.put(STOP);
      writer.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      log.error("activity journal of node {} did not finish writing within 30 s; {} activities"
          + " not written", node, queue.size());
    }
    try {
      file.close();
    } catch (IOException e) {
      log.warn("closing the activity file failed: {}", e.toString());
    }
    log.info("activity journal of node {} closed: {} written, {} dropped", node, written.get(),
        dropped.get());
  }
}

package dev.alpharen.ardpx.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.xnio.XnioIoThread;

/**
 * The request deadlines of one I/O thread, all of the same length: a list in the order the
 * requests started, which is the order they expire in, with one timer for its head. Arming and
 * disarming a request cost a link and an unlink, where a timer of its own per request would cost
 * two updates of the thread's sorted timer queue. Used by its I/O thread only.
 */
final class Deadlines {
  /** A request with a deadline. */
  abstract static class Entry {
    private Entry previous;
    private Entry next;
    private long deadline;
    private boolean armed;

    /** The deadline passed; the entry is already disarmed. */
    abstract void expire();
  }

  private final XnioIoThread thread;
  private final long timeoutNanos;
  private final LongSupplier nanoClock;
  private final Runnable check = this::check;
  private Entry head;
  private Entry tail;
  private boolean timerSet;

  Deadlines(XnioIoThread thread, long timeoutNanos, LongSupplier nanoClock) {
    this.thread = thread;
    this.timeoutNanos = timeoutNanos;
    this.nanoClock = nanoClock;
  }

  /** Starts {@code entry}'s deadline, the timeout from now. */
  void arm(Entry entry) {
    entry.deadline = nanoClock.getAsLong() + timeoutNanos;
    entry.armed = true;
    entry.previous = tail;
    entry.next = null;
    if (tail == null) {
      head = entry;
    } else {
      tail.next = entry;
    }
    tail = entry;
    if (!timerSet) {
      schedule(timeoutNanos);
    }
  }

  /** Ends {@code entry}'s deadline; nothing when it is not armed. */
  void disarm(Entry entry) {
    if (!entry.armed) {
      return;
    }
    entry.armed = false;
    if (entry.previous == null) {
      head = entry.next;
    } else {
      entry.previous.next = entry.next;
    }
    if (entry.next == null) {
      tail = entry.previous;
    } else {
      entry.next.previous = entry.previous;
    }
    entry.previous = null;
    entry.next = null;
  }

  private void check() {
    timerSet = false;
    long now = nanoClock.getAsLong();
    while (head != null && head.deadline - now <= 0) {
      Entry due = head;
      disarm(due);
      due.expire();
    }
    if (head != null) {
      schedule(head.deadline - now);
    }
  }

  private void schedule(long inNanos) {
    timerSet = true;
    // Rounded up to whole milliseconds, XNIO's timer resolution, so that it never fires early.
    thread.executeAfter(check, Math.max(1, (inNanos + 999_999) / 1_000_000),
        TimeUnit.MILLISECONDS);
  }
}

package dev.alpharen.arhav.rtt;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A latency estimate that jumps up at once on a slow sample and decays back only gradually, so a
 * node that turns slow is avoided immediately and trusted again cautiously (peak EWMA, after
 * Finagle's load balancer). Also counts requests in flight: its cost is the estimate times
 * (in flight + 1). Time comes in as arguments ({@code nowNanos}). Thread-safe and lock-free: it
 * sits on every proxied request's path, so it takes no lock and allocates nothing; two samples
 * that race are both folded in, each against the estimate the other left.
 */
public final class PeakEwma {
  /** The estimate's bits before the first sample: NaN, never produced by a sample. */
  private static final long UNMEASURED = Double.doubleToRawLongBits(Double.NaN);

  private final double decayNanos;
  private final AtomicLong estimateBits = new AtomicLong(UNMEASURED);
  /** The same average without the peak: one slow sample barely moves it. */
  private final AtomicLong meanBits = new AtomicLong(UNMEASURED);
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long lastNanos;
  /** When a request last began, or {@link Long#MIN_VALUE} before the first. */
  private final AtomicLong lastBeginNanos = new AtomicLong(Long.MIN_VALUE);

  /** @param decay how long a peak takes to fade to about a third (1/e) of its excess */
  public PeakEwma(Duration decay) {
    if (decay.isNegative() || decay.isZero()) {
      throw new IllegalArgumentException("decay must be positive, was " + decay);
    }
    this.decayNanos = decay.toNanos();
  }

  /** Adds a measured latency. */
  public void observe(Duration latency, long nowNanos) {
    observeNanos(latency.toNanos(), nowNanos);
  }

  /** Adds a measured latency of {@code latencyNanos}. */
  public void observeNanos(long latencyNanos, long nowNanos) {
    double sample = Math.max(0, latencyNanos);
    double weight = Math.exp(-Math.max(0, nowNanos - lastNanos) / decayNanos);
    while (true) {
      long bits = estimateBits.get();
      double estimate = Double.longBitsToDouble(bits);
      double next;
      if (bits == UNMEASURED || sample > estimate) {
        next = sample; // the first sample, or the peak: react to a slow node at once
      } else {
        next = estimate * weight + sample * (1 - weight);
      }
      if (estimateBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
        break;
      }
    }
    while (true) {
      long bits = meanBits.get();
      double next = bits == UNMEASURED ? sample
          : Double.longBitsToDouble(bits) * weight + sample * (1 - weight);
      if (meanBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
        break;
      }
    }
    lastNanos = nowNanos;
  }

  public boolean measured() {
    return estimateBits.get() != UNMEASURED;
  }

  /** The current latency estimate. */
  public Duration estimate() {
    return Duration.ofNanos((long) estimateNanos());
  }

  /** The current latency estimate in nanoseconds; 0 before the first sample. */
  public double estimateNanos() {
    long bits = estimateBits.get();
    return bits == UNMEASURED ? 0 : Double.longBitsToDouble(bits);
  }

  /**
   * The time-weighted average latency in nanoseconds, without the jump to a peak (0 before the
   * first sample): what the node is like lately rather than at its worst, for telling a
   * persistently slow node from one slow answer.
   */
  public double meanNanos() {
    long bits = meanBits.get();
    return bits == UNMEASURED ? 0 : Double.longBitsToDouble(bits);
  }

  /** Latency estimate × (requests in flight + 1); lower is better. */
  public double cost() {
    return estimateNanos() * (inFlight.get() + 1);
  }

  public void begin() {
    inFlight.incrementAndGet();
  }

  /** {@link #begin()}, remembering when. */
  public void begin(long nowNanos) {
    inFlight.incrementAndGet();
    lastBeginNanos.set(nowNanos);
  }

  /** When a request last began; {@code ifNever} (and from then on that) if none has. */
  public long lastBeginNanos(long ifNever) {
    long last = lastBeginNanos.get();
    if (last == Long.MIN_VALUE) {
      lastBeginNanos.compareAndSet(Long.MIN_VALUE, ifNever);
      last = lastBeginNanos.get();
    }
    return last;
  }

  /**
   * Claims the next probe of a node that is otherwise left alone: true for one caller once
   * {@code intervalNanos} have passed since the last request began.
   */
  public boolean claimProbe(long nowNanos, long intervalNanos) {
    long last = lastBeginNanos.get();
    return last != Long.MIN_VALUE && nowNanos - last >= intervalNanos
        && lastBeginNanos.compareAndSet(last, nowNanos);
  }

  public void end() {
    inFlight.getAndUpdate(n -> n > 0 ? n - 1 : 0);
  }

  public int inFlight() {
    return inFlight.get();
  }
}

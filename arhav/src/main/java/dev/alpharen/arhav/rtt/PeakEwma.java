package dev.alpharen.arhav.rtt;

import java.time.Duration;

/**
 * A latency estimate that jumps up at once on a slow sample and decays back only gradually, so a
 * node that turns slow is avoided immediately and trusted again cautiously (peak EWMA, after
 * Finagle's load balancer). Also counts requests in flight: its cost is the estimate times
 * (in flight + 1). Time comes in as arguments ({@code nowNanos}). Thread-safe.
 */
public final class PeakEwma {
  private final double decayNanos;
  private double estimateNanos;
  private long lastNanos;
  private int inFlight;
  private boolean measured;

  /** @param decay how long a peak takes to fade to about a third (1/e) of its excess */
  public PeakEwma(Duration decay) {
    if (decay.isNegative() || decay.isZero()) {
      throw new IllegalArgumentException("decay must be positive, was " + decay);
    }
    this.decayNanos = decay.toNanos();
  }

  /** Adds a measured latency. */
  public synchronized void observe(Duration latency, long nowNanos) {
    double sample = Math.max(0, latency.toNanos());
    if (!measured) {
      estimateNanos = sample;
      measured = true;
    } else if (sample > estimateNanos) {
      estimateNanos = sample; // the peak: react to a slow node at once
    } else {
      double elapsed = Math.max(0, nowNanos - lastNanos);
      double weight = Math.exp(-elapsed / decayNanos);
      estimateNanos = estimateNanos * weight + sample * (1 - weight);
    }
    lastNanos = nowNanos;
  }

  public synchronized boolean measured() {
    return measured;
  }

  /** The current latency estimate. */
  public synchronized Duration estimate() {
    return Duration.ofNanos((long) estimateNanos);
  }

  /** Latency estimate × (requests in flight + 1); lower is better. */
  public synchronized double cost() {
    return estimateNanos * (inFlight + 1);
  }

  public synchronized void begin() {
    inFlight++;
  }

  public synchronized void end() {
    if (inFlight > 0) {
      inFlight--;
    }
  }

  public synchronized int inFlight() {
    return inFlight;
  }
}

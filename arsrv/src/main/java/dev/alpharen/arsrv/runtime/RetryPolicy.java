package dev.alpharen.arsrv.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How an integration's routes retry a failing step in memory before giving up: up to
 * {@code maxAttempts} tries in all, waiting {@code initialDelay} before the first retry, each wait
 * {@code multiplier} times the one before, at most {@code maxDelay}, each varied by up to
 * {@code jitter} (a fraction, 0.15 = ±15 %) so that nodes do not retry in step. Immutable.
 *
 * @param maxAttempts tries in all, 1 (no retry) to 100
 * @param initialDelay wait before the first retry, 0 to 1 h
 * @param multiplier growth of each wait, 1.0 (constant) to 10.0
 * @param maxDelay the longest wait, at least {@code initialDelay}, at most 1 h
 * @param jitter 0.0 (none) to 1.0
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier,
    Duration maxDelay, double jitter) {
  private static final Duration HOUR = Duration.ofHours(1);

  public RetryPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1 || maxAttempts > 100) {
      throw new IllegalArgumentException("retry.maxAttempts must be 1 (no retry) to 100, was "
          + maxAttempts);
    }
    if (initialDelay.isNegative() || initialDelay.compareTo(HOUR) > 0) {
      throw new IllegalArgumentException("retry.initialDelay must be from 0 to 1h, was "
          + initialDelay.toMillis() + " ms");
    }
    if (!(multiplier >= 1.0 && multiplier <= 10.0)) {
      throw new IllegalArgumentException("retry.multiplier must be from 1.0 to 10.0, was "
          + multiplier);
    }
    if (maxDelay.compareTo(initialDelay) < 0 || maxDelay.compareTo(HOUR) > 0) {
      throw new IllegalArgumentException("retry.maxDelay must be from retry.initialDelay ("
          + initialDelay.toMillis() + " ms) to 1h, was " + maxDelay.toMillis() + " ms");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("retry.jitter must be from 0.0 to 1.0, was " + jitter);
    }
  }

  /** 3 attempts, 1 s, doubling, at most 30 s, ±15 % jitter. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.15);
  }

  /** The wait before retry {@code n} (1 = the first retry), without jitter. */
  public Duration delayBefore(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("retry number must be >= 1, was " + n);
    }
    double millis = initialDelay.toMillis() * Math.pow(multiplier, n - 1);
    return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
  }
}

package dev.alpharen.arsrv.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How an integration retries a failing exchange. In memory first: up to {@code maxAttempts} tries
 * of the failing step in all, waiting {@code initialDelay} before the first retry, each wait
 * {@code multiplier} times the one before, at most {@code maxDelay}, each varied by up to
 * {@code jitter} (a fraction, 0.15 = ±15 %) so that nodes do not retry in step. Then, for messages
 * consumed from a queue, {@link Durable durably}: the message waits on the broker and runs through
 * its route again, with the same multiplier and jitter, before it becomes a dead letter.
 * Immutable.
 *
 * @param maxAttempts tries in all, 1 (no retry) to 100
 * @param initialDelay wait before the first retry, 0 to 1 h
 * @param multiplier growth of each wait, 1.0 (constant) to 10.0
 * @param maxDelay the longest wait, at least {@code initialDelay}, at most 1 h
 * @param jitter 0.0 (none) to 1.0
 * @param durable the runs after the in-memory attempts, through the broker's retry queue
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier,
    Duration maxDelay, double jitter, Durable durable) {
  private static final Duration HOUR = Duration.ofHours(1);

  public RetryPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(durable, "durable");
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

  /** A policy with the default durable retries. */
  public RetryPolicy(int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay,
      double jitter) {
    this(maxAttempts, initialDelay, multiplier, maxDelay, jitter, Durable.defaults());
  }

  /** 3 attempts, 1 s, doubling, at most 30 s, ±15 % jitter; then the default durable retries. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.15);
  }

  /** The wait before retry {@code n} (1 = the first retry), without jitter. */
  public Duration delayBefore(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("retry number must be >= 1, was " + n);
    }
    return grow(initialDelay, n, maxDelay);
  }

  /** The wait before durable run {@code n} (1 = the first), without jitter. */
  public Duration durableDelayBefore(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("durable run number must be >= 1, was " + n);
    }
    return grow(durable.initialDelay(), n, durable.maxDelay());
  }

  /** {@code delay} varied by up to ±{@code jitter}; {@code random} is uniform in [0, 1). */
  public Duration jittered(Duration delay, double random) {
    double factor = 1.0 + jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(0, Math.round(delay.toMillis() * factor)));
  }

  private Duration grow(Duration first, int n, Duration cap) {
    double millis = first.toMillis() * Math.pow(multiplier, n - 1);
    return Duration.ofMillis((long) Math.min(millis, cap.toMillis()));
  }

  /**
   * The durable runs of a message consumed from a queue once its in-memory attempts are
   * exhausted: it waits in the broker's retry queue (on disk, surviving restarts) and then runs
   * through its route again, up to {@code attempts} times, the first after {@code initialDelay},
   * each wait growing by the policy's multiplier up to {@code maxDelay}. After the last it is a
   * dead letter. Immutable.
   *
   * @param attempts durable runs, 0 (failures become dead letters at once) to 1000
   * @param initialDelay wait before the first durable run, 100 ms to 1 h
   * @param maxDelay the longest wait, at least {@code initialDelay}, at most 24 h
   */
  public record Durable(int attempts, Duration initialDelay, Duration maxDelay) {
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration SHORTEST = Duration.ofMillis(100);

    public Durable {
      Objects.requireNonNull(initialDelay, "initialDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (attempts < 0 || attempts > 1000) {
        throw new IllegalArgumentException("retry.durableAttempts must be 0 (dead letter at once)"
            + " to 1000, was " + attempts);
      }
      if (initialDelay.compareTo(SHORTEST) < 0 || initialDelay.compareTo(HOUR) > 0) {
        throw new IllegalArgumentException("retry.durableInitialDelay must be from 100ms to 1h,"
            + " was " + initialDelay.toMillis() + " ms");
      }
      if (maxDelay.compareTo(initialDelay) < 0 || maxDelay.compareTo(DAY) > 0) {
        throw new IllegalArgumentException("retry.durableMaxDelay must be from"
            + " retry.durableInitialDelay (" + initialDelay.toMillis() + " ms) to 24h, was "
            + maxDelay.toMillis() + " ms");
      }
    }

    /** 10 runs, the first after 10 s, growing to at most 10 min apart (about 50 min in all). */
    public static Durable defaults() {
      return new Durable(10, Duration.ofSeconds(10), Duration.ofMinutes(10));
    }
  }
}

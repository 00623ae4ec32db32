package dev.alpharen.ardpx.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Passive outlier ejection: a node that refuses a connection, or answers {@code streakLimit} 5xx in
 * a row, is taken out of rotation for a backoff that doubles with each ejection in a row (capped),
 * and is trusted again when it serves a request. Time comes in as arguments. Thread-safe.
 */
public final class OutlierEjector {
  private final int streakLimit;
  private final Duration baseBackoff;
  private final Duration maxBackoff;
  private final Map<String, State> nodes = new HashMap<>();

  public OutlierEjector(int streakLimit, Duration baseBackoff, Duration maxBackoff) {
    if (streakLimit < 1) {
      throw new IllegalArgumentException("streakLimit must be at least 1, was " + streakLimit);
    }
    if (maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least baseBackoff (" + baseBackoff
          + "), was " + maxBackoff);
    }
    this.streakLimit = streakLimit;
    this.baseBackoff = baseBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** The node could not be connected to: eject it now. */
  public synchronized void connectFailed(String node, Instant now) {
    eject(state(node), now);
  }

  /** The node answered with {@code status}. */
  public synchronized void answered(String node, int status, Instant now) {
    State s = state(node);
    if (status >= 500) {
      if (++s.streak >= streakLimit) {
        eject(s, now);
      }
    } else {
      s.streak = 0;
      s.ejections = 0;
    }
  }

  /** Whether the node is out of rotation at {@code now}. */
  public synchronized boolean ejected(String node, Instant now) {
    State s = nodes.get(node);
    return s != null && s.until != null && now.isBefore(s.until);
  }

  /** Forgets a node that left the cluster. */
  public synchronized void forget(String node) {
    nodes.remove(node);
  }

  private void eject(State s, Instant now) {
    Duration backoff = baseBackoff.multipliedBy(1L << Math.min(s.ejections, 20));
    s.until = now.plus(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
    s.ejections++;
    s.streak = 0;
  }

  private State state(String node) {
    return nodes.computeIfAbsent(node, n -> new State());
  }

  private static final class State {
    int streak;
    int ejections;
    Instant until;
  }
}

package dev.alpharen.ardpx.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passive outlier ejection: a node that refuses a connection is taken out of rotation at once,
 * one that answers {@code streakLimit} 5xx or broken responses in a row likewise, for a backoff
 * that doubles with each ejection in a row (capped); it is trusted again when it serves a
 * request. Time comes in as arguments, in monotonic nanoseconds. Thread-safe: the state is per
 * node ({@link #node}), and the common case — a success with no streak and no ejection behind
 * it — only reads.
 */
public final class OutlierEjector {
  private final int streakLimit;
  private final long baseBackoffNanos;
  private final long maxBackoffNanos;
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();

  public OutlierEjector(int streakLimit, Duration baseBackoff, Duration maxBackoff) {
    if (streakLimit < 1) {
      throw new IllegalArgumentException("streakLimit must be at least 1, was " + streakLimit);
    }
    if (baseBackoff.isNegative() || baseBackoff.isZero()) {
      throw new IllegalArgumentException("baseBackoff must be positive, was " + baseBackoff);
    }
    if (maxBackoff.compareTo(baseBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least baseBackoff (" + baseBackoff
          + "), was " + maxBackoff);
    }
    this.streakLimit = streakLimit;
    this.baseBackoffNanos = baseBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /** The ejection state of one node; keep it rather than looking it up per request. */
  public Node node(String id) {
    return nodes.computeIfAbsent(id, n -> new Node());
  }

  /** The node could not be connected to: eject it now. */
  public void connectFailed(String node, long nowNanos) {
    node(node).connectFailed(nowNanos);
  }

  /** The node answered with {@code status}. */
  public void answered(String node, int status, long nowNanos) {
    node(node).answered(status, nowNanos);
  }

  /** Whether the node is out of rotation at {@code nowNanos}. */
  public boolean ejected(String node, long nowNanos) {
    Node n = nodes.get(node);
    return n != null && n.ejected(nowNanos);
  }

  /** Forgets a node that left the cluster. */
  public void forget(String node) {
    nodes.remove(node);
  }

  /** One node's streak and backoff. Thread-safe. */
  public final class Node {
    private volatile int streak; // written under this
    private volatile int ejections; // written under this
    private volatile boolean everEjected;
    private volatile long untilNanos;

    private Node() {}

    /** The node could not be connected to: eject it now. */
    public synchronized void connectFailed(long nowNanos) {
      eject(nowNanos);
    }

    /** The node answered with {@code status} (a 5xx counts towards the streak). */
    public void answered(int status, long nowNanos) {
      if (status >= 500) {
        failed(nowNanos);
      } else if (streak != 0 || ejections != 0) {
        synchronized (this) {
          streak = 0;
          ejections = 0;
        }
      }
    }

    /** The node took the request but gave no usable answer (its connection broke). */
    public synchronized void failed(long nowNanos) {
      if (streak + 1 >= streakLimit) {
        eject(nowNanos);
      } else {
        streak++;
      }
    }

    /** Whether the node is out of rotation at {@code nowNanos}. */
    public boolean ejected(long nowNanos) {
      return everEjected && nowNanos - untilNanos < 0;
    }

    private void eject(long nowNanos) {
      long backoff = baseBackoffNanos << Math.min(ejections, 20);
      untilNanos = nowNanos + (backoff > maxBackoffNanos || backoff <= 0 ? maxBackoffNanos
          : backoff);
      everEjected = true;
      ejections++;
      streak = 0;
    }
  }
}

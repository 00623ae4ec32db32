package dev.alpharen.arhav.rtt;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's smoothed round-trip times to its peers: an exponentially weighted moving average of
 * probe RTTs per peer (weight {@code alpha} for the newest sample). Thread-safe.
 */
public final class RttTable {
  private final double alpha;
  private final Map<String, Double> micros = new ConcurrentHashMap<>();

  /** @param alpha weight of the newest sample, in (0, 1] */
  public RttTable(double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
  }

  /** Adds a sample for a peer. */
  public void record(String peer, Duration rtt) {
    double sample = rtt.toNanos() / 1000.0;
    micros.merge(peer, sample, (old, now) -> old + alpha * (now - old));
  }

  /** Forgets a peer that left. */
  public void forget(String peer) {
    micros.remove(peer);
  }

  /** The smoothed RTT to each measured peer, in microseconds, sorted by peer. */
  public Map<String, Long> row() {
    Map<String, Long> row = new TreeMap<>();
    micros.forEach((peer, us) -> row.put(peer, Math.round(us)));
    return row;
  }
}

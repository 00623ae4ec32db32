package dev.alpharen.arhav;

import java.time.Duration;

/**
 * How ARHAV probes its peers. A peer silent to direct probes for {@code indirectAfter} is probed
 * through other members too; silent to both for {@code suspectAfter} it is SUSPECT (offered no new
 * work); for {@code removeAfter} it is DEAD and removed from the cluster. Immutable.
 *
 * @param interval time between probe rounds; also how often RTT is measured
 * @param timeout how long one probe may take
 * @param suspectAfter silence that makes a peer SUSPECT
 * @param removeAfter silence that makes a peer DEAD
 * @param shareInterval how often this node publishes its RTT row to the cluster
 */
public record ProbeSettings(Duration interval, Duration timeout, Duration suspectAfter,
    Duration removeAfter, Duration shareInterval) {
  public ProbeSettings {
    positive("interval", interval);
    positive("timeout", timeout);
    positive("shareInterval", shareInterval);
    if (suspectAfter.compareTo(interval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("suspectAfter must be at least twice the probe interval ("
          + interval.multipliedBy(2).toMillis() + " ms), was " + suspectAfter.toMillis() + " ms");
    }
    if (removeAfter.compareTo(suspectAfter) <= 0) {
      throw new IllegalArgumentException("removeAfter must be longer than suspectAfter ("
          + suspectAfter.toMillis() + " ms), was " + removeAfter.toMillis() + " ms");
    }
  }

  /** The defaults: probes every 100 ms, SUSPECT after 900 ms, DEAD after 2.2 s. */
  public static ProbeSettings defaults() {
    return new ProbeSettings(Duration.ofMillis(100), Duration.ofMillis(400),
        Duration.ofMillis(900), Duration.ofMillis(2200), Duration.ofSeconds(1));
  }

  /** When indirect probes start: half-way to suspicion. */
  public Duration indirectAfter() {
    return suspectAfter.dividedBy(2);
  }

  private static void positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d.toMillis() + " ms");
    }
  }
}

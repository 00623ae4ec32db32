package dev.alpharen.arhav.dns;

import java.time.Duration;

/**
 * How much the DNS TCP listener lets clients hold: how long a connection may sit idle, how many
 * connections are served at once (more are closed on accept), and the longest message read (a
 * query is a few hundred bytes; a longer length prefix closes the connection). Immutable.
 */
record TcpLimits(Duration idleTimeout, int maxConnections, int maxMessageBytes) {
  /** What every node runs with. */
  static final TcpLimits DEFAULT = new TcpLimits(Duration.ofSeconds(5), 64, 4096);

  TcpLimits {
    if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("idleTimeout must be positive and under 24 days, was "
          + idleTimeout);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
    }
    if (maxMessageBytes < 512 || maxMessageBytes > 65_535) {
      throw new IllegalArgumentException("maxMessageBytes must be 512-65535, was " + maxMessageBytes);
    }
  }
}

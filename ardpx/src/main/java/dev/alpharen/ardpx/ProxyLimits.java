package dev.alpharen.ardpx;

import java.time.Duration;

/**
 * What ARDPX allows a request, each limit with its own status. Immutable.
 *
 * @param requestTimeout the longest a proxied request may take; a node slower than this gets the
 *     client 504
 * @param clientTimeout the longest a client may take to send its request: slower headers close
 *     the connection, a slower body gets 408
 * @param idleTimeout a client connection idle for longer between requests is closed
 * @param maxHeaderBytes larger request headers get 431
 * @param maxBodyBytes larger request bodies get 413
 */
public record ProxyLimits(Duration requestTimeout, Duration clientTimeout, Duration idleTimeout,
    int maxHeaderBytes, long maxBodyBytes) {
  public ProxyLimits {
    positive("requestTimeout", requestTimeout);
    positive("clientTimeout", clientTimeout);
    positive("idleTimeout", idleTimeout);
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was "
          + maxHeaderBytes);
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 0, was " + maxBodyBytes);
    }
  }

  /** Defaults as in the configuration: 30s, 10s, 60s, 16 KiB, 10 MiB. */
  public static ProxyLimits defaults() {
    return new ProxyLimits(Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(60), 16_384, 10_485_760);
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}

package dev.alpharen.ardpx;

import java.time.Duration;
import java.util.Objects;

/**
 * How ARDPX listens and proxies. Immutable.
 *
 * @param host the interface to listen on
 * @param port the HTTP port; 0 picks a free one
 * @param requestTimeout the longest a proxied request may take before the client gets 504
 * @param connectRetries how many other nodes a request is tried on when a node cannot be reached
 * @param maxHeaderBytes larger request headers get 431
 * @param maxBodyBytes larger request bodies get 413
 */
public record ProxySettings(String host, int port, Duration requestTimeout, int connectRetries,
    int maxHeaderBytes, long maxBodyBytes) {
  public ProxySettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port), was " + port);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (connectRetries < 0 || connectRetries > 10) {
      throw new IllegalArgumentException("connectRetries must be 0-10, was " + connectRetries);
    }
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be at least 1024, was "
          + maxHeaderBytes);
    }
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 0, was " + maxBodyBytes);
    }
  }
}

package dev.alpharen.ardpx;

import java.util.Objects;

/**
 * How ARDPX listens and proxies. Immutable.
 *
 * @param host the interface to listen on
 * @param port the HTTP port; 0 picks a free one
 * @param tls the TLS listener, or {@link ProxyTls#off()}
 * @param limits sizes and timeouts, each answered with its own status
 * @param connectRetries how many other nodes a request is tried on when a node cannot be reached
 * @param accessLog whether each request is logged as one line to the {@code alpharen.access}
 *     logger
 */
public record ProxySettings(String host, int port, ProxyTls tls, ProxyLimits limits,
    int connectRetries, boolean accessLog) {
  public ProxySettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(limits, "limits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port), was " + port);
    }
    if (connectRetries < 0 || connectRetries > 10) {
      throw new IllegalArgumentException("connectRetries must be 0-10, was " + connectRetries);
    }
  }
}

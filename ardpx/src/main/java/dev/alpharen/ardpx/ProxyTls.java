package dev.alpharen.ardpx;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * ARDPX's TLS listener, or none ({@link #off()}). Immutable.
 *
 * @param enabled whether ARDPX listens for TLS at all
 * @param port the TLS port; 0 picks a free one
 * @param context the server's key and certificate (see {@link TlsKeys})
 * @param redirectHttp whether plain HTTP requests get 308 to the same URL over HTTPS instead of
 *     being proxied
 */
public record ProxyTls(boolean enabled, int port, SSLContext context, boolean redirectHttp) {
  public ProxyTls {
    if (enabled) {
      Objects.requireNonNull(context, "context");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535 (0 picks a free port), was "
            + port);
      }
    } else if (redirectHttp) {
      throw new IllegalArgumentException("redirectHttp needs a TLS listener to redirect to");
    }
  }

  /** A TLS listener on {@code port} with the given keys. */
  public static ProxyTls on(int port, SSLContext context, boolean redirectHttp) {
    return new ProxyTls(true, port, context, redirectHttp);
  }

  /** No TLS listener: HTTP only. */
  public static ProxyTls off() {
    return new ProxyTls(false, 0, null, false);
  }
}

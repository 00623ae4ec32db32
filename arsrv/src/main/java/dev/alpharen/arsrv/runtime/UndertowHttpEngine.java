package dev.alpharen.arsrv.runtime;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

/**
 * Camel's {@code platform-http} engine over the node's own Undertow server: consumers bind their
 * paths in the node's {@link HttpRouter}, so integrations are served on {@code http.port} beside
 * {@code /api} and {@code /health}; no second server or port. Bound in the Camel registry as
 * {@code platform-http-engine}. Thread-safe.
 */
final class UndertowHttpEngine implements PlatformHttpEngine {
  private final HttpRouter router;

  /** @param router where consumers bind their paths */
  UndertowHttpEngine(HttpRouter router) {
    this.router = router;
  }

  @Override
  public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
    String path = endpoint.getPath();
    HttpRouter.refusal(path).ifPresent(reason -> {
      throw new IllegalArgumentException(reason);
    });
    return new UndertowHttpConsumer(endpoint, processor, router);
  }
}

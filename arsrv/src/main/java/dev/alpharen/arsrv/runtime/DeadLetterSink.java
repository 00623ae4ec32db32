package dev.alpharen.arsrv.runtime;

import org.apache.camel.Exchange;

/**
 * Where an exchange goes once an integration's in-memory retries are exhausted: the seam for the
 * durable retry queue and the dead-letter queue of the embedded broker. The runtime calls it once
 * per failed exchange, on the thread that failed it, after the route's error handler gave up; the
 * caller of a synchronous endpoint (HTTP) still sees the failure. Implementations are thread-safe
 * and must not throw.
 */
public interface DeadLetterSink {
  /**
   * Takes a failed exchange.
   *
   * @param integration the integration whose route failed it
   * @param routeId the route the exchange came from
   * @param exchange the exchange, with its message as it was when the last attempt failed
   * @param cause why the last attempt failed
   */
  void accept(String integration, String routeId, Exchange exchange, Throwable cause);

  /** Logs each failed exchange at WARN and keeps nothing: the sink until the broker lands. */
  static DeadLetterSink logging() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeadLetterSink.class);
    return (integration, routeId, exchange, cause) -> log.warn("integration {} route {}: exchange"
        + " {} failed after its retries: {}; no dead-letter queue on this node, dropped",
        integration, routeId, exchange.getExchangeId(), String.valueOf(cause));
  }
}

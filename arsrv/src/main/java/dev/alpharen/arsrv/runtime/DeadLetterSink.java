package dev.alpharen.arsrv.runtime;

import org.apache.camel.Exchange;

/**
 * Where an exchange goes that failed for good: once an integration's in-memory retries are
 * exhausted on a route that does not consume a queue (an HTTP endpoint, a timer, a poller). The
 * caller of a synchronous endpoint (HTTP) sees the failure itself. Messages consumed from
 * {@code jms:} queues never get here: {@link RetryHandOff} stores them on the broker for durable
 * runs and as dead letters. The runtime calls it once per failed exchange, on the thread that
 * failed it, after the route's error handler gave up. Implementations are thread-safe and must
 * not throw.
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

  /** Logs each failed exchange at WARN: what nodes do, since a caller or a schedule retries. */
  static DeadLetterSink logging() {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DeadLetterSink.class);
    return (integration, routeId, exchange, cause) -> log.warn("integration {} route {}: exchange"
        + " {} failed after its retries: {}", integration, routeId, exchange.getExchangeId(),
        RetryHandOff.describe(cause));
  }
}

package dev.alpharen.arsrv.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches every exchange that an integration's route started: counts and times it per integration
 * and outcome ({@code alpharen_integration_exchanges_seconds{integration,outcome}}: completed,
 * failed, or for messages from queues retrying and dead-lettered) and hands failed ones to the
 * {@link DeadLetterSink}. Exchanges of routes that belong to no integration are
 * ignored. Thread-safe.
 */
final class ExchangeOutcomes extends EventNotifierSupport {
  static final String METER = "alpharen.integration.exchanges";

  private final MeterRegistry meters;
  private final Function<String, String> integrationOfRoute;
  private final DeadLetterSink deadLetters;

  /** @param integrationOfRoute the integration a route id belongs to, or null */
  ExchangeOutcomes(MeterRegistry meters, Function<String, String> integrationOfRoute,
      DeadLetterSink deadLetters) {
    this.meters = meters;
    this.integrationOfRoute = integrationOfRoute;
    this.deadLetters = deadLetters;
    setIgnoreCamelContextEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreStepEvents(true);
    setIgnoreExchangeCreatedEvent(true);
    setIgnoreExchangeSendingEvents(true);
    setIgnoreExchangeSentEvents(true);
    setIgnoreExchangeRedeliveryEvents(true);
    setIgnoreExchangeAsyncProcessingStartedEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
    String routeId = exchange.getFromRouteId();
    String integration = routeId == null ? null : integrationOfRoute.apply(routeId);
    if (integration == null) {
      return;
    }
    boolean failed = event instanceof ExchangeFailedEvent;
    // a message from a queue whose failure was stored for a durable run or as a dead letter
    String stored = exchange.getProperty(RetryHandOff.OUTCOME, String.class);
    Timer.builder(METER).description("exchanges an integration's routes finished")
        .tag("integration", integration)
        .tag("outcome", failed ? "failed" : stored != null ? stored : "completed")
        .register(meters)
        .record(Duration.ofMillis(Math.max(0, exchange.getClock().elapsed())));
    if (failed) {
      deadLetters.accept(integration, routeId, exchange, exchange.getException());
    }
  }
}

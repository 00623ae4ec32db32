package dev.alpharen.arsrv.runtime;

import dev.alpharen.arsrv.activity.Activity;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.Capture;
import dev.alpharen.arsrv.activity.Severity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeFailedEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Watches every exchange that an integration's route started: counts and times it per integration
 * and outcome ({@code alpharen_integration_exchanges_seconds{integration,outcome}}: completed,
 * failed, or for messages from queues retrying and dead-lettered), hands failed ones to the
 * {@link DeadLetterSink}, and records them as activities as the integration's {@link Capture}
 * says (failed, retried and dead-lettered ones for {@code failures}; received and completed ones
 * too for {@code all}). Exchanges of routes that belong to no integration are ignored.
 * Thread-safe.
 */
final class ExchangeOutcomes extends EventNotifierSupport {
  static final String METER = "alpharen.integration.exchanges";
  private static final String RECEIVED = "alpharen.activity.received";

  private final MeterRegistry meters;
  private final Function<String, String> integrationOfRoute;
  private final DeadLetterSink deadLetters;
  private final ActivityRecorder activities;
  private final Function<String, Capture> captureOf;

  /**
   * @param integrationOfRoute the integration a route id belongs to, or null
   * @param captureOf which exchanges of an integration become activities
   */
  ExchangeOutcomes(MeterRegistry meters, Function<String, String> integrationOfRoute,
      DeadLetterSink deadLetters, ActivityRecorder activities,
      Function<String, Capture> captureOf) {
    this.meters = meters;
    this.integrationOfRoute = integrationOfRoute;
    this.deadLetters = deadLetters;
    this.activities = activities;
    this.captureOf = captureOf;
    setIgnoreCamelContextEvents(true);
    setIgnoreRouteEvents(true);
    setIgnoreServiceEvents(true);
    setIgnoreStepEvents(true);
    setIgnoreExchangeCreatedEvent(true);
    setIgnoreExchangeSendingEvents(true);
    setIgnoreExchangeSentEvents(true);
    setIgnoreExchangeAsyncProcessingStartedEvents(true);
  }

  @Override
  public boolean isEnabled(CamelEvent event) {
    return event instanceof ExchangeCompletedEvent || event instanceof ExchangeFailedEvent
        || event instanceof ExchangeRedeliveryEvent;
  }

  @Override
  public void notify(CamelEvent event) {
    Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
    String routeId = exchange.getFromRouteId();
    String integration = routeId == null ? null : integrationOfRoute.apply(routeId);
    if (integration == null) {
      return;
    }
    Capture capture = captureOf.apply(integration);
    if (event instanceof ExchangeRedeliveryEvent redelivery) {
      if (capture != Capture.OFF) {
        record(ActivityType.EXCHANGE_RETRIED, Severity.WARNING, integration, exchange,
            "exchange redelivery attempt " + redelivery.getAttempt() + " after: "
                + cause(exchange.getException()), Activity.details("route", routeId, "attempt",
                redelivery.getAttempt()));
      }
      return;
    }
    boolean failed = event instanceof ExchangeFailedEvent;
    // A send a full queue refused is back-pressure: the caller keeps the message and is told to
    // come back (503, Retry-After). Under overload there are thousands a second, so they are
    // counted, not logged or recorded one by one.
    boolean refused = failed && Backpressure.isQueueFull(exchange.getException());
    // a message from a queue whose failure was stored for a durable run or as a dead letter
    String stored = exchange.getProperty(RetryHandOff.OUTCOME, String.class);
    long elapsedMs = Math.max(0, exchange.getClock().elapsed());
    Timer.builder(METER).description("exchanges an integration's routes finished")
        .tag("integration", integration)
        .tag("outcome", refused ? "refused" : failed ? "failed"
            : stored != null ? stored : "completed")
        .register(meters)
        .record(Duration.ofMillis(elapsedMs));
    if (refused) {
      return;
    }
    if (failed) {
      deadLetters.accept(integration, routeId, exchange, exchange.getException());
      if (capture != Capture.OFF) {
        record(ActivityType.EXCHANGE_FAILED, Severity.ERROR, integration, exchange,
            "exchange failed after its retries: " + cause(exchange.getException()),
            Activity.details("route", routeId, "durationMs", elapsedMs));
      }
    } else if ("dead-lettered".equals(stored) && capture != Capture.OFF) {
      record(ActivityType.EXCHANGE_DEAD_LETTERED, Severity.ERROR, integration, exchange,
          "message dead-lettered after its durable retries: "
              + cause(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)),
          Activity.details("route", routeId, "durationMs", elapsedMs));
    } else if ("retrying".equals(stored) && capture != Capture.OFF) {
      record(ActivityType.EXCHANGE_RETRIED, Severity.WARNING, integration, exchange,
          "message stored for a durable retry after: "
              + cause(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)),
          Activity.details("route", routeId, "durable", true));
    } else if (capture == Capture.ALL) {
      record(ActivityType.EXCHANGE_COMPLETED, Severity.INFO, integration, exchange,
          "exchange completed", Activity.details("route", routeId, "durationMs", elapsedMs));
    }
  }

  /**
   * Records an exchange an integration's route takes in, for capture {@code all}; once per
   * exchange, however many of the integration's routes it passes (a route policy calls this).
   */
  void received(Route route, Exchange exchange) {
    String integration = integrationOfRoute.apply(route.getRouteId());
    if (integration == null || captureOf.apply(integration) != Capture.ALL
        || exchange.getProperty(RECEIVED) != null) {
      return;
    }
    exchange.setProperty(RECEIVED, Boolean.TRUE);
    record(ActivityType.EXCHANGE_RECEIVED, Severity.INFO, integration, exchange,
        "exchange received from " + route.getEndpoint().getEndpointUri(),
        Map.of("route", route.getRouteId()));
  }

  /** A route policy that reports each exchange a route begins to {@link #received}. */
  org.apache.camel.spi.RoutePolicyFactory receivedPolicy() {
    return (context, routeId, node) -> new org.apache.camel.support.RoutePolicySupport() {
      @Override
      public void onExchangeBegin(Route route, Exchange exchange) {
        received(route, exchange);
      }
    };
  }

  private void record(ActivityType type, Severity severity, String integration,
      Exchange exchange, String message, Map<String, Object> details) {
    String correlation = exchange.getProperty(Exchange.CORRELATION_ID, String.class);
    activities.record(type, severity, new ActivityRecorder.Scope(integration,
        exchange.getExchangeId(), correlation == null ? "" : correlation), message, details);
  }

  private static String cause(Throwable e) {
    return e == null ? "unknown cause" : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}

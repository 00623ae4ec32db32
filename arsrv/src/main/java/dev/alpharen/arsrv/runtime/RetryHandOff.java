package dev.alpharen.arsrv.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.alpharen.arsrv.broker.EmbeddedBroker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a message consumed from a queue goes once its in-memory attempts are exhausted: the
 * dead-letter processor of the error handler of every integration route that consumes a
 * {@code jms:} or {@code amqp:} queue. It sends the message as it was consumed (body and simple
 * headers) with its failure record to the broker: to the retry queue {@value #RETRY_QUEUE},
 * scheduled for the integration's next durable run, or, after the last, to the dead-letter queue
 * {@value #DEAD_LETTER_QUEUE}. The send runs in the consuming route's JMS transaction (the node's
 * {@code jms} and {@code amqp} components are transacted), so the message leaves its queue and lands in the next one
 * atomically; if the send fails, the exchange fails and the broker redelivers it. The
 * {@link #mover() mover} route moves each due retry back to its queue, where the integration's
 * route consumes it again on any node. Thread-safe.
 */
final class RetryHandOff implements Processor {
  /** The bean name integration routes' error handlers send to. */
  static final String BEAN = "alpharenRetryHandOff";
  /** Messages waiting for their next durable run (scheduled delivery). */
  static final String RETRY_QUEUE = EmbeddedBroker.RETRY_QUEUE;
  /** Messages whose durable runs are exhausted. */
  static final String DEAD_LETTER_QUEUE = EmbeddedBroker.INTEGRATION_DEAD_LETTERS;
  /** The route that moves due retries back to their queues. */
  static final String MOVER_ROUTE = "alpharen.retry-mover";

  /** Message headers (JMS properties) of the failure record; routes see them on a retry. */
  static final String INTEGRATION = "AlpharenIntegration";
  static final String ROUTE = "AlpharenRoute";
  static final String QUEUE = "AlpharenQueue";
  static final String ATTEMPTS = "AlpharenDurableAttempts";
  static final String FIRST_FAILURE = "AlpharenFirstFailure";
  static final String LAST_FAILURE = "AlpharenLastFailure";
  static final String ERROR = "AlpharenError";
  static final String HISTORY = "AlpharenHistory";
  /** Artemis's scheduled delivery time, epoch milliseconds. */
  static final String SCHEDULED = "_AMQ_SCHED_DELIVERY";
  /** The exchange property {@link ExchangeOutcomes} reads: "retrying" or "dead-lettered". */
  static final String OUTCOME = "alpharen.outcome";

  private static final Logger log = LoggerFactory.getLogger(RetryHandOff.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTORY_KEPT = 20;
  private static final int ERROR_CHARS = 500;

  private final Function<String, RetryPolicy> policyOf;
  private final Clock clock;
  private volatile ProducerTemplate template;

  /** @param policyOf an integration's retry policy, or null once it is gone */
  RetryHandOff(Function<String, RetryPolicy> policyOf, Clock clock) {
    this.policyOf = policyOf;
    this.clock = clock;
  }

  /** Whether a route consuming {@code uri} gets durable retries: a jms: or amqp: queue. */
  static boolean consumesQueue(String uri) {
    if (!BrokerEndpoints.isBrokerUri(uri)) {
      return false;
    }
    String rest = uri.substring(uri.indexOf(':') + 1);
    return !rest.startsWith("topic:") && !rest.startsWith("temp-topic:")
        && !rest.startsWith("temp-queue:");
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String routeId = exchange.getFromRouteId();
    CamelContext context = exchange.getContext();
    Route route = routeId == null ? null : context.getRoute(routeId);
    String integration = route == null || route.getGroup() == null ? "" : route.getGroup();
    RetryPolicy policy = policyOf.apply(integration);
    if (policy == null) {
      policy = RetryPolicy.defaults();
    }
    if (!(exchange.getFromEndpoint() instanceof JmsEndpoint source)) {
      throw new IllegalStateException("route " + routeId + " does not consume a broker queue; its"
          + " failure cannot be retried through the broker", cause);
    }
    Message in = exchange.getIn();
    long now = clock.millis();
    int done = in.getHeader(ATTEMPTS, 0, Integer.class);
    String error = describe(cause);
    Map<String, Object> headers = simpleHeaders(in);
    headers.put(INTEGRATION, integration);
    headers.put(ROUTE, routeId);
    headers.put(QUEUE, source.getDestinationName());
    headers.put(FIRST_FAILURE, in.getHeader(FIRST_FAILURE, now, Long.class));
    headers.put(LAST_FAILURE, now);
    headers.put(ERROR, error);
    headers.put(HISTORY, history(in.getHeader(HISTORY, String.class), now, done, error));
    String target;
    if (done < policy.durable().attempts()) {
      Duration delay = policy.jittered(policy.durableDelayBefore(done + 1),
          ThreadLocalRandom.current().nextDouble());
      headers.put(ATTEMPTS, done + 1);
      headers.put(SCHEDULED, now + delay.toMillis());
      target = RETRY_QUEUE;
      exchange.setProperty(OUTCOME, "retrying");
      log.debug("integration {} route {}: message {} failed ({}); durable run {} of {} in {} ms",
          integration, routeId, in.getMessageId(), error, done + 1, policy.durable().attempts(),
          delay.toMillis());
    } else {
      headers.put(ATTEMPTS, done);
      target = DEAD_LETTER_QUEUE;
      exchange.setProperty(OUTCOME, "dead-lettered");
      log.warn("integration {} route {}: message from queue {} failed after {} durable run(s):"
          + " {}; moved to {}", integration, routeId, source.getDestinationName(), done, error,
          DEAD_LETTER_QUEUE);
    }
    Object body = in.getBody();
    Exchange sent = template(context).send("jms:queue:" + target, ExchangePattern.InOnly, e -> {
      e.getIn().setBody(body instanceof byte[] || body instanceof String ? body
          : body == null ? "" : in.getBody(String.class));
      e.getIn().setHeaders(headers);
    });
    if (sent.getException() != null) {
      // the exchange fails: the consuming transaction rolls back and the broker redelivers
      throw sent.getException();
    }
  }

  private ProducerTemplate template(CamelContext context) {
    ProducerTemplate t = template;
    if (t == null || t.getCamelContext() != context) {
      synchronized (this) {
        if (template == null || template.getCamelContext() != context) {
          template = context.createProducerTemplate();
        }
        t = template;
      }
    }
    return t;
  }

  /** The route that moves each due retry back to the queue it came from, on every node. */
  static RouteBuilder mover() {
    return new RouteBuilder() {
      @Override
      public void configure() {
        from("jms:queue:" + RETRY_QUEUE).routeId(MOVER_ROUTE)
            .removeHeader(SCHEDULED)
            .toD("jms:queue:${header." + QUEUE + "}");
      }
    };
  }

  /** The error as the dead-letter list shows it: its type and message, without a stack. */
  static String describe(Throwable cause) {
    if (cause == null) {
      return "unknown error";
    }
    String text = cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    return text.length() <= ERROR_CHARS ? text : text.substring(0, ERROR_CHARS) + "…";
  }

  /** The JSON array of failures, this one appended, the newest {@value #HISTORY_KEPT} kept. */
  static String history(String previous, long now, int durableRun, String error) {
    ArrayNode list;
    try {
      list = previous == null ? JSON.createArrayNode() : (ArrayNode) JSON.readTree(previous);
    } catch (IOException | ClassCastException e) {
      list = JSON.createArrayNode();
    }
    list.addObject().put("at", now).put("durableRun", durableRun).put("error", error);
    while (list.size() > HISTORY_KEPT) {
      list.remove(0);
    }
    return list.toString();
  }

  /** Headers a JMS message can carry, less the broker's, Camel's and the failure record's. */
  private static Map<String, Object> simpleHeaders(Message in) {
    Map<String, Object> kept = new LinkedHashMap<>();
    in.getHeaders().forEach((name, value) -> {
      if (!name.startsWith("JMS") && !name.startsWith("Camel") && !name.startsWith("Alpharen")
          && !name.startsWith("_AMQ") && (value instanceof String || value instanceof Number
          || value instanceof Boolean)) {
        kept.put(name, value);
      }
    });
    return kept;
  }
}

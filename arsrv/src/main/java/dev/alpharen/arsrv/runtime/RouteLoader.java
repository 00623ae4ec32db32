package dev.alpharen.arsrv.runtime;

import dev.alpharen.arwadm.IntegrationRejectedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Turns an integration into routes of a CamelContext, the same way for the scratch context that
 * validates it and the node's context that runs it: parses the YAML DSL, names each route
 * {@code <integration>.<id>} (or {@code <integration>.routeN}) in group {@code <integration>},
 * applies the integration's retry policy to routes without an error handler of their own, and,
 * where a route runs as singleton, Camel's {@code ClusteredRoutePolicy} plus a
 * {@link SingletonGuard}. Stateless and thread-safe.
 */
final class RouteLoader {
  /** Consumers that fire on a schedule, beside every scheduled-poll endpoint (file, ftp, ...). */
  private static final Set<String> SCHEDULES = Set.of("timer", "cron", "quartz", "scheduler");

  /** What a caller needs to run a singleton route; absent in a scratch context. */
  interface Singletons {
    /** A policy that runs the route only on the node leading {@code namespace}. */
    ClusteredRoutePolicy policy(String namespace);

    /** The fencing term this node leads {@code namespace} in now, or empty. */
    OptionalLong term(String namespace);
  }

  private RouteLoader() {}

  /** The namespace the singleton routes of an integration share. */
  static String namespace(String integration) {
    return "integration." + integration;
  }

  /**
   * Adds the integration's routes to {@code context} and returns their ids.
   *
   * @param singletons null in a scratch context (no policies are applied)
   * @throws IntegrationRejectedException when the document holds what integrations may not use
   */
  static List<String> load(CamelContext context, IntegrationSpec spec, Singletons singletons)
      throws Exception {
    Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context)
        .findRoutesBuilders(ResourceHelper.fromString(spec.name() + ".yaml", spec.document()));
    List<RouteBuilder> routeBuilders = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    // route configurations first: routes pick theirs up as they are configured
    for (RoutesBuilder b : builders) {
      if (b instanceof RouteConfigurationBuilder configurations) {
        configurations.updateRouteConfigurationsToCamelContext(context);
        for (RouteConfigurationDefinition c
            : configurations.getRouteConfigurationCollection().getRouteConfigurations()) {
          if (c.getId() == null) {
            throw new IntegrationRejectedException("a routeConfiguration without an id would apply"
                + " to the routes of every integration on the node; give it an id (unique on the"
                + " node, e.g. prefixed with '" + spec.name() + "-') and refer to it with"
                + " routeConfigurationId", Math.max(0, c.getLineNumber()), 0);
          }
        }
      }
    }
    int n = 0;
    for (RoutesBuilder b : builders) {
      if (!(b instanceof RouteBuilder rb)) {
        throw new IntegrationRejectedException("the document yields " + b.getClass().getSimpleName()
            + ", expected Camel YAML DSL routes", 1, 1);
      }
      List<RouteDefinition> routes = rb.configureRoutes(context).getRoutes();
      if (!rb.getRestCollection().getRests().isEmpty()
          || !rb.getRouteTemplateCollection().getRouteTemplates().isEmpty()
          || !rb.getTemplatedRouteCollection().getTemplatedRoutes().isEmpty()) {
        throw new IntegrationRejectedException("rest, routeTemplate and templatedRoute are not"
            + " supported in integrations; use '- route: {from: {uri: \"platform-http:/path\"}}'",
            0, 0);
      }
      boolean ownHandler = rb.getRouteCollection().getErrorHandlerFactory() != null;
      for (RouteDefinition route : routes) {
        n++;
        String local = route.getRouteId() != null ? route.getRouteId() : "route" + n;
        String id = spec.name() + "." + local;
        if (!seen.add(id)) {
          throw new IntegrationRejectedException("route id '" + local + "' is used twice in"
              + " integration " + spec.name(), route.getInput().getLineNumber() > 0
              ? route.getInput().getLineNumber() : 0, 0);
        }
        route.setId(id);
        route.group(spec.name());
        if (!ownHandler && !route.isErrorHandlerFactorySet()
            && route.getRouteConfigurationId() == null) {
          route.errorHandler(RetryHandOff.consumesQueue(route.getInput().getEndpointUri())
              ? durable(spec.retry()) : retry(spec.retry()));
        }
        String uri = route.getInput().getEndpointUri();
        checkHttpPath(uri, spec.document());
        if (singletons != null && !uri.startsWith("master:")
            && spec.modeOf(isPoller(context, uri)) == Mode.SINGLETON) {
          String namespace = namespace(spec.name());
          route.routePolicy(singletons.policy(namespace),
              new SingletonGuard(() -> singletons.term(namespace)));
        }
        ids.add(id);
      }
      routeBuilders.add(rb);
    }
    if (ids.isEmpty()) {
      throw new IntegrationRejectedException("the document has no route; expected at least one"
          + " '- route: {from: {uri: ..., steps: [...]}}' (or '- from: ...')", 1, 1);
    }
    for (RouteBuilder rb : routeBuilders) {
      context.addRoutes(rb);
    }
    return ids;
  }

  /** Refuses a {@code platform-http:} path the node serves itself. */
  private static void checkHttpPath(String uri, String document)
      throws IntegrationRejectedException {
    if (uri == null || !uri.startsWith("platform-http:")) {
      return;
    }
    String path = uri.substring("platform-http:".length()).replaceFirst("^//", "/");
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    java.util.Optional<String> refusal = HttpRouter.refusal(bare.startsWith("/") ? bare : "/" + bare);
    if (refusal.isPresent()) {
      throw ErrorLocator.at(document, uri, refusal.get());
    }
  }

  /** Whether the consumer of {@code uri} fires on a schedule or polls. */
  static boolean isPoller(CamelContext context, String uri) {
    int colon = uri.indexOf(':');
    String scheme = colon < 0 ? uri : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    if (SCHEDULES.contains(scheme)) {
      return true;
    }
    try {
      Endpoint endpoint = context.getEndpoint(uri);
      return endpoint instanceof ScheduledPollEndpoint;
    } catch (RuntimeException e) {
      return false; // building the route reports what is wrong with the endpoint
    }
  }

  /**
   * Camel's default error handler with the integration's redelivery, except for a send that a
   * full queue refused: that is back-pressure for the caller (503 with {@code Retry-After}), who
   * is not held for retries the queue would likely refuse too.
   */
  static DefaultErrorHandlerDefinition retry(RetryPolicy retry) {
    DefaultErrorHandlerDefinition handler = redelivery(new DefaultErrorHandlerDefinition(), retry);
    int redeliveries = retry.maxAttempts() - 1;
    // With a retryWhile predicate Camel asks it instead of counting: it counts here too.
    handler.setRetryWhilePredicate(exchange -> !Backpressure.isQueueFull(failure(exchange))
        && exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)
            <= redeliveries);
    return handler;
  }

  private static Throwable failure(Exchange exchange) {
    return exchange.getException() != null ? exchange.getException()
        : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
  }

  /**
   * For routes consuming a queue: the integration's redelivery, then the message as it was
   * consumed goes to {@link RetryHandOff}, which stores it for a durable run or as a dead letter.
   * If that fails, the exchange fails (the consuming transaction rolls back).
   */
  static DefaultErrorHandlerDefinition durable(RetryPolicy retry) {
    DeadLetterChannelDefinition handler = new DeadLetterChannelDefinition("bean:"
        + RetryHandOff.BEAN);
    handler.deadLetterHandleNewException(false);
    handler.useOriginalMessage();
    // RetryHandOff logs what becomes of the message
    redelivery(handler, retry);
    return handler;
  }

  private static DefaultErrorHandlerDefinition redelivery(DefaultErrorHandlerDefinition handler,
      RetryPolicy retry) {
    handler.maximumRedeliveries(retry.maxAttempts() - 1)
        .redeliveryDelay(retry.initialDelay().toMillis())
        .maximumRedeliveryDelay(retry.maxDelay().toMillis())
        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
        // the dead-letter sink logs each exchange that failed for good, in one line; Camel's own
        // line (with the message history) would repeat it, and log every refused send too
        .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
        .logStackTrace(false);
    if (retry.multiplier() > 1.0) {
      handler.useExponentialBackOff().backOffMultiplier(retry.multiplier());
    }
    if (retry.jitter() > 0) {
      handler.useCollisionAvoidance().collisionAvoidancePercent(retry.jitter() * 100);
    }
    return handler;
  }
}

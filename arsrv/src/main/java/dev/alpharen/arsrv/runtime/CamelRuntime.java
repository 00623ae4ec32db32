package dev.alpharen.arsrv.runtime;

import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.ClusterVariables;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.Capture;
import dev.alpharen.arwadm.IntegrationRejectedException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one CamelContext and what integrations share in it: the {@code platform-http}
 * engine over the node's HTTP server, the Hazelcast cluster service for singletons, the cluster
 * variable repository, the cluster idempotent repository, per-integration metrics and the
 * dead-letter seam. The context starts on first use (about a second), so a node without
 * integrations pays nothing. Also validates integrations in scratch contexts configured the same
 * way. Thread-safe: changes to the node's context are serialized.
 */
public final class CamelRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CamelRuntime.class);
  private static final long SHUTDOWN_TIMEOUT_S = 10;

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final HttpRouter router;
  private final MeterRegistry meters;
  private final DeadLetterSink deadLetters;
  private final HazelcastClusterService clusterService;
  private final Map<String, String> integrationOfRoute = new ConcurrentHashMap<>();
  private final Map<String, RetryPolicy> policies = new ConcurrentHashMap<>();
  private final RetryHandOff retryHandOff = new RetryHandOff(policies::get,
      java.time.Clock.systemUTC());
  private final Map<String, Capture> captureOf = new ConcurrentHashMap<>();
  private final ActivityRecorder activities;
  private final Capture defaultCapture;
  private DefaultCamelContext context; // guarded by this

  /**
   * @param router the node HTTP server's router for integration endpoints
   * @param eligible whether this node may lead singletons now (it is ready)
   */
  public CamelRuntime(HazelcastInstance hazelcast, String nodeId, HttpRouter router,
      MeterRegistry meters, BooleanSupplier eligible, DeadLetterSink deadLetters) {
    this(hazelcast, nodeId, router, meters, eligible, deadLetters, ActivityRecorder.none(),
        Capture.FAILURES);
  }

  /**
   * @param activities where exchanges are recorded
   * @param defaultCapture which exchanges become activities for integrations that do not say
   */
  public CamelRuntime(HazelcastInstance hazelcast, String nodeId, HttpRouter router,
      MeterRegistry meters, BooleanSupplier eligible, DeadLetterSink deadLetters,
      ActivityRecorder activities, Capture defaultCapture) {
    this.activities = activities;
    this.defaultCapture = defaultCapture;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.router = router;
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.clusterService = new HazelcastClusterService(hazelcast, nodeId, eligible,
        LeaseElector.Timings.defaults());
  }

  /**
   * Parses and builds the integration in a scratch context without starting anything.
   *
   * @throws IntegrationRejectedException saying what is wrong and where
   */
  public void validate(IntegrationSpec spec) throws IntegrationRejectedException {
    DefaultCamelContext scratch = new DefaultCamelContext();
    try {
      configure(scratch, new HttpRouter());
      scratch.setAutoStartup(false);
      scratch.getCamelContextExtension().setName("alpharen-validate-" + spec.name());
      RouteLoader.load(scratch, spec, null);
      scratch.start();
    } catch (Exception e) {
      throw ErrorLocator.locate(e, spec.document(), routeId -> {
        var route = scratch.getRouteDefinition(routeId);
        return route == null || route.getInput() == null ? 0
            : Math.max(0, route.getInput().getLineNumber());
      });
    } finally {
      try {
        scratch.stop();
      } catch (RuntimeException e) {
        log.debug("scratch context of {} did not stop cleanly: {}", spec.name(), e.toString());
      }
    }
  }

  /** Adds and starts the integration's routes; returns their ids. */
  synchronized List<String> add(IntegrationSpec spec) throws Exception {
    CamelContext ctx = context();
    List<String> ids = RouteLoader.load(ctx, spec, new RouteLoader.Singletons() {
      @Override
      public ClusteredRoutePolicy policy(String namespace) {
        try {
          return ClusteredRoutePolicy.forNamespace(clusterService, namespace);
        } catch (Exception e) {
          throw new IllegalStateException("no singleton policy for " + namespace + ": " + e, e);
        }
      }

      @Override
      public OptionalLong term(String namespace) {
        return clusterService.openView(namespace).map(LeaseView::termNow)
            .orElse(OptionalLong.empty());
      }
    });
    ids.forEach(id -> integrationOfRoute.put(id, spec.name()));
    queueBounds.apply(spec.name(), QueuePolicy.queuesOf(spec.document()), spec.queue());
    policies.put(spec.name(), spec.retry());
    captureOf.put(spec.name(), Capture.ofLabel(spec.capture()).orElse(defaultCapture));
    return ids;
  }

  /** Stops the integration's routes, letting exchanges in flight finish, and removes them. */
  synchronized void removeIntegration(String integration) throws Exception {
    if (context == null) {
      return;
    }
    List<String> ids = context.getRoutes().stream()
        .filter(r -> integration.equals(r.getGroup())
            || integration.equals(integrationOfRoute.get(r.getRouteId())))
        .map(org.apache.camel.Route::getRouteId).toList();
    for (String id : ids) {
      context.getRouteController().stopRoute(id, SHUTDOWN_TIMEOUT_S, TimeUnit.SECONDS);
      context.removeRoute(id);
      integrationOfRoute.remove(id);
    }
    queueBounds.release(integration);
    policies.remove(integration);
    captureOf.remove(integration);
  }

  /** Who leads the integration's singleton routes, as far as this node knows. */
  Optional<Lease> leader(String integration) {
    return clusterService.openView(RouteLoader.namespace(integration)).flatMap(LeaseView::lease);
  }

  private CamelContext context() throws Exception {
    if (context == null) {
      long started = System.nanoTime();
      DefaultCamelContext ctx = new DefaultCamelContext();
      ctx.getCamelContextExtension().setName("alpharen-" + nodeId);
      configure(ctx, router);
      ctx.addService(clusterService);
      MicrometerRoutePolicyFactory metrics = new MicrometerRoutePolicyFactory();
      metrics.setMeterRegistry(meters);
      ctx.addRoutePolicyFactory(metrics);
      ExchangeOutcomes outcomes = new ExchangeOutcomes(meters, integrationOfRoute::get,
          deadLetters, activities, name -> captureOf.getOrDefault(name, defaultCapture));
      ctx.getManagementStrategy().addEventNotifier(outcomes);
      ctx.addRoutePolicyFactory(outcomes.receivedPolicy());
      if (brokerFactory() != null) {
        ctx.addRoutes(RetryHandOff.mover());
      }
      ctx.start();
      context = ctx;
      log.info("node {} started its Camel runtime in {} ms", nodeId,
          (System.nanoTime() - started) / 1_000_000);
    }
    return context;
  }

  /**
   * The bean name of the broker's connection factory; with it, {@code jms:} and {@code amqp:}
   * reach the node's broker, transacted.
   */
  public static final String CONNECTION_FACTORY = "connectionFactory";

  /**
   * Beans the node provides to every integration (bound in the registry of the scratch and the real
   * context), such as the connection factory of the node's own broker. Call before the first
   * deploy.
   */
  public void bindBeans(java.util.Map<String, Object> beans) {
    extraBeans.putAll(beans);
  }

  /** Where integrations' own queue bounds take effect. Call before the first deploy. */
  public void bindQueueBounds(QueueBounds bounds) {
    this.queueBounds = java.util.Objects.requireNonNull(bounds, "bounds");
  }

  private volatile QueueBounds queueBounds = QueueBounds.NONE;

  private final java.util.Map<String, Object> extraBeans =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The node broker's connection factory, if the node bound one. */
  private jakarta.jms.ConnectionFactory brokerFactory() {
    return extraBeans.get(CONNECTION_FACTORY) instanceof jakarta.jms.ConnectionFactory cf ? cf
        : null;
  }

  /** What every context needs, scratch or real. */
  private void configure(DefaultCamelContext ctx, HttpRouter httpRouter) {
    extraBeans.forEach(ctx.getRegistry()::bind);
    jakarta.jms.ConnectionFactory broker = brokerFactory();
    if (broker != null) {
      BrokerEndpoints.addTo(ctx, broker, queueBounds);
    }
    ctx.getRegistry().bind(RetryHandOff.BEAN, retryHandOff);
    ctx.setSourceLocationEnabled(true);
    ctx.getShutdownStrategy().setTimeout(SHUTDOWN_TIMEOUT_S);
    ctx.getShutdownStrategy().setTimeUnit(TimeUnit.SECONDS);
    ctx.getRegistry().bind(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME,
        new UndertowHttpEngine(httpRouter));
    ctx.getRegistry().bind(HazelcastIdempotentRepository.BEAN,
        new HazelcastIdempotentRepository(hazelcast));
    ctx.getRegistry().bind(ClusterVariableRepository.BEAN,
        new ClusterVariableRepository(new ClusterVariables(hazelcast), ctx.getTypeConverter()));
  }

  /** The node's context, started on first use; for this package's tests. */
  synchronized CamelContext camelContext() throws Exception {
    return context();
  }

  /** The router integration endpoints bind in; mounted by the node's HTTP server. */
  public HttpRouter router() {
    return router;
  }

  /** Runs a change of routes so that HTTP requests wait for it instead of failing. */
  <T> T swap(java.util.concurrent.Callable<T> change) throws Exception {
    return router.duringSwap(change);
  }

  @Override
  public synchronized void close() {
    if (context != null) {
      try {
        context.stop();
      } catch (RuntimeException e) {
        log.warn("node {}: stopping the Camel runtime failed: {}", nodeId, e.toString());
      }
      context = null;
    }
  }
}

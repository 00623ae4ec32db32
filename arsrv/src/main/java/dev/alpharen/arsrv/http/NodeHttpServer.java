package dev.alpharen.arsrv.http;

import dev.alpharen.arhav.probe.ProbeHandler;
import dev.alpharen.arsrv.node.Readiness;
import dev.alpharen.arsrv.node.StartupException;
import dev.alpharen.arwadm.HttpJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.HttpString;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The node's one HTTP server: {@code /health/live}, {@code /health/ready}, ARHAV's probes under
 * {@code /arhav}, the admin API under {@code /api/v1} and {@code /metrics}, which are mounted once
 * the node has joined its cluster and answer 503 until then, and on every other path the HTTP
 * endpoints of integrations. On shutdown it first refuses new requests, then waits for those in
 * flight. Thread-safe.
 */
public final class NodeHttpServer implements AutoCloseable {
  /** Response header naming the node that answered. */
  public static final String NODE_HEADER = "X-Alpharen-Node";

  private final Undertow undertow;
  private final GracefulShutdownHandler graceful;
  private final SwitchableHandler api;
  private final SwitchableHandler probes;
  private final SwitchableHandler metrics;
  private final SwitchableHandler integrations;
  private final InetSocketAddress address;

  private NodeHttpServer(Undertow undertow, GracefulShutdownHandler graceful, SwitchableHandler api,
      SwitchableHandler probes, SwitchableHandler metrics, SwitchableHandler integrations) {
    this.undertow = undertow;
    this.graceful = graceful;
    this.api = api;
    this.probes = probes;
    this.metrics = metrics;
    this.integrations = integrations;
    this.address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  /** Binds and starts serving; port 0 picks a free port. */
  public static NodeHttpServer start(String host, int port, Readiness readiness, String nodeId)
      throws StartupException {
    SwitchableHandler api = new SwitchableHandler(e -> HttpJson.error(e, 503,
        "node is starting; retry once /health/ready answers 200"));
    SwitchableHandler probes = new SwitchableHandler(new ProbeHandler(
        id -> CompletableFuture.completedFuture(false)));
    SwitchableHandler metrics = new SwitchableHandler(e -> HttpJson.error(e, 503,
        "node is starting; metrics follow once it has joined its cluster"));
    SwitchableHandler integrations = new SwitchableHandler(e -> HttpJson.error(e, 404,
        "no such resource: " + e.getRequestPath()));
    PathHandler paths = new PathHandler(integrations)
        .addExactPath("/metrics", metrics)
        .addExactPath("/health/live", e -> HttpJson.send(e, 200, Map.of("status", "live")))
        .addExactPath("/health/ready", e -> ready(e, readiness))
        .addPrefixPath("/api/v1", new BlockingHandler(api))
        .addPrefixPath("/arhav", probes);
    // Every answer names the node that gave it: behind a proxy, operators and tests see who served.
    HttpString nodeHeader = HttpString.tryFromString(NODE_HEADER);
    GracefulShutdownHandler graceful = new GracefulShutdownHandler(exchange -> {
      exchange.getResponseHeaders().put(nodeHeader, nodeId);
      paths.handleRequest(exchange);
    });
    Undertow undertow = Undertow.builder()
        .addHttpListener(port, host)
        .setHandler(graceful)
        .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof BindException) {
        throw new StartupException("http.port " + port + " on " + host + " is not available ("
            + e.getCause().getMessage() + "); choose another http.port (0 picks a free port)", e);
      }
      throw e;
    }
    return new NodeHttpServer(undertow, graceful, api, probes, metrics, integrations);
  }

  /** Serves ARHAV's probes with this handler from now on (pings are answered from the start). */
  public void mountProbes(HttpHandler handler) {
    probes.switchTo(handler);
  }

  /** A handler that answers with the registry's meters as Prometheus text. */
  public static HttpHandler prometheus(PrometheusMeterRegistry meters) {
    return exchange -> {
      exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE,
          "text/plain; version=0.0.4; charset=utf-8");
      exchange.getResponseSender().send(meters.scrape());
    };
  }

  /** Serves {@code /metrics} (Prometheus text) from now on. */
  public void mountMetrics(HttpHandler handler) {
    metrics.switchTo(handler);
  }

  /** Serves every path the node does not serve itself with this handler (integration endpoints). */
  public void mountIntegrations(HttpHandler handler) {
    integrations.switchTo(handler);
  }

  /** Serves the admin API from now on. */
  public void mountApi(HttpHandler handler) {
    api.switchTo(handler);
  }

  public int port() {
    return address.getPort();
  }

  /** {@code http://host:port}, as other nodes and clients reach this server. */
  public String baseUrl() {
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** Refuses new requests with 503 from now on; requests in flight go on. */
  public void refuseNewRequests() {
    graceful.shutdown();
  }

  /** Waits for requests in flight to finish; true if they all did within the timeout. */
  public boolean awaitInFlight(Duration timeout) throws InterruptedException {
    return graceful.awaitShutdown(timeout.toMillis());
  }

  @Override
  public void close() {
    undertow.stop();
  }

  private static void ready(io.undertow.server.HttpServerExchange exchange, Readiness readiness) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean ready = readiness.isReady();
    body.put("status", ready ? "ready" : "not ready");
    body.put("checks", readiness.checks());
    Map<String, Object> details = readiness.details();
    if (!details.isEmpty()) {
      body.put("details", details);
    }
    HttpJson.send(exchange, ready ? 200 : 503, body);
  }
}

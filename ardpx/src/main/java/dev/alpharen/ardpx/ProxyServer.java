package dev.alpharen.ardpx;

import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.ardpx.internal.BackendMeters;
import dev.alpharen.ardpx.internal.ClientDeadline;
import dev.alpharen.ardpx.internal.ForwardingHeaders;
import dev.alpharen.ardpx.internal.HttpsRedirect;
import dev.alpharen.ardpx.internal.NodeProxyClient;
import dev.alpharen.ardpx.internal.NodeRelay;
import dev.alpharen.ardpx.internal.OutlierEjector;
import dev.alpharen.ardpx.internal.RequestLimits;
import dev.alpharen.ardpx.internal.RequestRecorder;
import dev.alpharen.ardpx.internal.RetryPolicy;
import dev.alpharen.arhav.NodePicker;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARDPX: an Undertow reverse proxy that sends each request to a healthy node of the cluster,
 * nearest and least loaded first ({@link NodePicker}), ejects nodes that refuse connections or
 * fail in a row, and tries a request that could not reach its node on the next one. A request
 * flows through small handlers: record (access log, meters), optional redirect to HTTPS, limits
 * (431, 413, 400 for ambiguous framing), client deadline (408), forwarding headers (hop-by-hop
 * stripped, {@code Forwarded} set), then to the node: bodiless GET, HEAD, OPTIONS and DELETE over
 * ARDPX's own lean relay ({@link NodeRelay}), anything else through Undertow's proxy handler;
 * both set X-Forwarded-*, answer 504 past the request timeout and 503 when no node is left.
 * Listens on HTTP and optionally TLS. Thread-safe.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private final Undertow undertow;
  private final ScheduledExecutorService pruner;
  private final int port;
  private final int tlsPort;

  private ProxyServer(Undertow undertow, ScheduledExecutorService pruner) {
    this.undertow = undertow;
    this.pruner = pruner;
    this.port = boundPort(undertow, "http");
    this.tlsPort = boundPort(undertow, "https");
  }

  /**
   * Starts listening.
   *
   * @param cluster the members, to close connection pools of nodes that left
   * @param meters where the per-backend meters are registered
   * @throws IOException when a port cannot be bound, naming it
   */
  public static ProxyServer start(ProxySettings settings, NodePicker picker, ClusterView cluster,
      MeterRegistry meters) throws IOException {
    return start(settings, picker, cluster, meters,
        new OutlierEjector(5, Duration.ofSeconds(1), Duration.ofSeconds(30)));
  }

  /** {@link #start(ProxySettings, NodePicker, ClusterView, MeterRegistry)} with its ejector. */
  static ProxyServer start(ProxySettings settings, NodePicker picker, ClusterView cluster,
      MeterRegistry meters, OutlierEjector ejector) throws IOException {
    ProxyLimits limits = settings.limits();
    BackendMeters backendMeters = new BackendMeters(meters);
    NodeProxyClient client = new NodeProxyClient(picker, ejector, backendMeters,
        System::nanoTime);
    // A refused connection is retried on another node whatever the method: nothing reached the
    // node. A connection that breaks after the request went out is retried only for what
    // RetryPolicy allows (idempotent, no body); anything else gets 503.
    ProxyHandler proxy = ProxyHandler.builder()
        .setProxyClient(client)
        .setMaxRequestTime((int) limits.requestTimeout().toMillis())
        .setMaxConnectionRetries(settings.connectRetries())
        .setIdempotentRequestPredicate(RetryPolicy.AFTER_SEND)
        .setRewriteHostHeader(false)
        .setReuseXForwarded(false)
        .build();
    // Bodiless GET, HEAD, OPTIONS and DELETE, most of the traffic, take ARDPX's own lean path;
    // the rest goes through Undertow's proxy handler. Both share the node choice and accounting.
    HttpHandler relay = new NodeRelay(client, proxy, limits.requestTimeout(),
        settings.connectRetries());
    HttpHandler handler = new RequestLimits(
        new ClientDeadline(new ForwardingHeaders(relay), limits.clientTimeout()),
        limits.maxHeaderBytes(), limits.maxBodyBytes());
    AtomicInteger boundTlsPort = new AtomicInteger();
    if (settings.tls().redirectHttp()) {
      handler = new HttpsRedirect(handler, boundTlsPort::get);
    }
    handler = new RequestRecorder(handler, settings.accessLog(), backendMeters);
    Undertow.Builder builder = Undertow.builder()
        .addHttpListener(settings.port(), settings.host())
        // Undertow's own limits sit above ours, so that ours answer with their own statuses.
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes() * 4)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, limits.maxBodyBytes() + 65_536)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT,
            (int) limits.clientTimeout().toMillis())
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
        .setHandler(handler);
    if (settings.tls().enabled()) {
      builder.addHttpsListener(settings.tls().port(), settings.host(), settings.tls().context());
    }
    Undertow undertow = builder.build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof BindException) {
        String ports = settings.tls().enabled() ? "proxy.port " + settings.port()
            + " or proxy.tlsPort " + settings.tls().port() : "proxy.port " + settings.port();
        throw new IOException(ports + " on " + settings.host() + " is not available ("
            + e.getCause().getMessage() + ")", e);
      }
      throw e;
    }
    ScheduledExecutorService pruner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ardpx-prune");
      t.setDaemon(true);
      return t;
    });
    pruner.scheduleWithFixedDelay(() -> {
      try {
        Set<String> present = cluster.snapshot().members().stream().map(MemberInfo::id)
            .collect(Collectors.toSet());
        client.prune(present);
      } catch (RuntimeException e) {
        log.warn("proxy pool pruning failed: {}", e.toString());
      }
    }, 5, 5, TimeUnit.SECONDS);
    ProxyServer server = new ProxyServer(undertow, pruner);
    boundTlsPort.set(server.tlsPort());
    log.info("ARDPX proxy listening on http://{}:{}{}{}", settings.host(), server.port(),
        settings.tls().enabled() ? " and https://" + settings.host() + ":" + server.tlsPort()
            : "", settings.tls().redirectHttp() ? " (HTTP redirects to HTTPS)" : "");
    return server;
  }

  public int port() {
    return port;
  }

  /** The TLS port, or 0 when ARDPX does not listen for TLS. */
  public int tlsPort() {
    return tlsPort;
  }

  @Override
  public void close() {
    pruner.shutdownNow();
    undertow.stop();
  }

  private static int boundPort(Undertow undertow, String protocol) {
    return undertow.getListenerInfo().stream().filter(l -> l.getProtcol().equals(protocol))
        .map(l -> ((InetSocketAddress) l.getAddress()).getPort()).findFirst().orElse(0);
  }
}

package dev.alpharen.ardpx;

import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.ardpx.internal.NodeProxyClient;
import dev.alpharen.ardpx.internal.OutlierEjector;
import dev.alpharen.ardpx.internal.RequestLimits;
import dev.alpharen.arhav.NodePicker;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARDPX: an Undertow reverse proxy that sends each request to a healthy node of the cluster,
 * nearest and least loaded first ({@link NodePicker}), ejects nodes that refuse connections or
 * fail in a row, and tries a request that could not reach its node on the next one. Requests over
 * the limits are refused first (431, 413, 400 for ambiguous framing); one that takes longer than
 * the request timeout gets 504. Undertow's proxy handler adds X-Forwarded-For/-Proto/-Host/-Port.
 * Thread-safe.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

  private final Undertow undertow;
  private final ScheduledExecutorService pruner;
  private final InetSocketAddress address;

  private ProxyServer(Undertow undertow, ScheduledExecutorService pruner) {
    this.undertow = undertow;
    this.pruner = pruner;
    this.address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  /**
   * Starts listening.
   *
   * @param cluster the members, to close connection pools of nodes that left
   * @throws IOException when the port cannot be bound, naming it
   */
  public static ProxyServer start(ProxySettings settings, NodePicker picker, ClusterView cluster)
      throws IOException {
    NodeProxyClient client = new NodeProxyClient(picker,
        new OutlierEjector(5, Duration.ofSeconds(1), Duration.ofSeconds(30)), Clock.systemUTC());
    ProxyHandler proxy = ProxyHandler.builder()
        .setProxyClient(client)
        .setMaxRequestTime((int) settings.requestTimeout().toMillis())
        .setMaxConnectionRetries(settings.connectRetries())
        .setRewriteHostHeader(false)
        .setReuseXForwarded(false)
        .build();
    Undertow undertow = Undertow.builder()
        .addHttpListener(settings.port(), settings.host())
        // Undertow's own limits sit above ours, so that ours answer with their own statuses.
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, settings.maxHeaderBytes() * 4)
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, settings.maxBodyBytes())
        .setHandler(new RequestLimits(proxy, settings.maxHeaderBytes(), settings.maxBodyBytes()))
        .build();
    try {
      undertow.start();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof BindException) {
        throw new IOException("proxy.port " + settings.port() + " on " + settings.host()
            + " is not available (" + e.getCause().getMessage() + ")", e);
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
        Set<String> present = cluster.snapshot().members().stream().map(MemberInfo::http)
            .collect(Collectors.toSet());
        client.prune(present);
      } catch (RuntimeException e) {
        log.warn("proxy pool pruning failed: {}", e.toString());
      }
    }, 5, 5, TimeUnit.SECONDS);
    ProxyServer server = new ProxyServer(undertow, pruner);
    log.info("ARDPX proxy listening on http://{}:{}", settings.host(), server.port());
    return server;
  }

  public int port() {
    return address.getPort();
  }

  @Override
  public void close() {
    pruner.shutdownNow();
    undertow.stop();
  }
}

package dev.alpharen.ardpx.internal;

import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arhav.NodePicker;
import io.undertow.client.UndertowClient;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ConnectionPoolErrorHandler;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import io.undertow.util.AttachmentKey;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.xnio.OptionMap;

/**
 * Undertow's proxy client with ALPHA-REN's host choice: each request goes to the first node the
 * {@link NodePicker} offers (ACTIVE, ALIVE, nearest and least loaded first) that is not ejected as
 * an outlier and was not already tried for this request, over a connection pool per node. Every
 * request's latency and outcome feed the picker and the ejector. Thread-safe.
 */
public final class NodeProxyClient implements ProxyClient {
  /** The node that served the request, for the access log. */
  public static final AttachmentKey<String> NODE = AttachmentKey.create(String.class);
  /** The connection to the node, to cut a request short (see {@link ClientDeadline}). */
  static final AttachmentKey<ProxyConnection> CONNECTION =
      AttachmentKey.create(ProxyConnection.class);
  private static final AttachmentKey<List<String>> TRIED = AttachmentKey.create(List.class);
  private static final ProxyTarget TARGET = new ProxyTarget() { };

  private final NodePicker picker;
  private final OutlierEjector ejector;
  private final BackendMeters meters;
  private final Clock clock;
  private final UndertowClient client = UndertowClient.getInstance();
  private final Map<String, ProxyConnectionPool> pools = new ConcurrentHashMap<>();

  public NodeProxyClient(NodePicker picker, OutlierEjector ejector, BackendMeters meters,
      Clock clock) {
    this.picker = picker;
    this.ejector = ejector;
    this.meters = meters;
    this.clock = clock;
  }

  @Override
  public ProxyTarget findTarget(HttpServerExchange exchange) {
    return TARGET;
  }

  @Override
  public void getConnection(ProxyTarget target, HttpServerExchange exchange,
      ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit timeUnit) {
    List<String> tried = exchange.getAttachment(TRIED);
    if (tried == null) {
      tried = new ArrayList<>(2);
      exchange.putAttachment(TRIED, tried);
    }
    MemberInfo node = choose(tried);
    if (node == null) {
      callback.couldNotResolveBackend(exchange);
      return;
    }
    tried.add(node.id());
    exchange.putAttachment(NODE, node.id());
    NodePicker.Call call = picker.begin(node.id());
    long start = System.nanoTime();
    exchange.addExchangeCompleteListener((done, next) -> {
      if (node.id().equals(done.getAttachment(NODE))) {
        call.done(Duration.ofNanos(System.nanoTime() - start));
        ejector.answered(node.id(), done.getStatusCode(), clock.instant());
      } else {
        call.done(Duration.ofNanos(System.nanoTime() - start)); // retried elsewhere
      }
      next.proceed();
    });
    pool(node).connect(target, exchange, new ProxyCallback<>() {
      @Override
      public void completed(HttpServerExchange ex, ProxyConnection result) {
        ex.putAttachment(CONNECTION, result);
        callback.completed(ex, result);
      }

      @Override
      public void failed(HttpServerExchange ex) {
        ejector.connectFailed(node.id(), clock.instant());
        meters.connectFailed(node.id());
        callback.failed(ex);
      }

      @Override
      public void queuedRequestFailed(HttpServerExchange ex) {
        callback.queuedRequestFailed(ex);
      }

      @Override
      public void couldNotResolveBackend(HttpServerExchange ex) {
        callback.couldNotResolveBackend(ex);
      }
    }, timeout, timeUnit, false);
  }

  /** Closes the pools of nodes that are no longer in the cluster. */
  public void prune(Set<String> presentUrls) {
    for (String url : List.copyOf(pools.keySet())) {
      if (!presentUrls.contains(url)) {
        ProxyConnectionPool gone = pools.remove(url);
        if (gone != null) {
          gone.close();
        }
      }
    }
  }

  /** The URLs of the nodes this client has pools for. */
  public Set<String> pooled() {
    return pools.keySet().stream().collect(Collectors.toUnmodifiableSet());
  }

  /** Best node not tried yet: not ejected first; an ejected one only if nothing else is left. */
  private MemberInfo choose(List<String> tried) {
    MemberInfo fallback = null;
    for (MemberInfo m : picker.candidates()) {
      if (tried.contains(m.id()) || m.http().isEmpty()) {
        continue;
      }
      if (!ejector.ejected(m.id(), clock.instant())) {
        return m;
      }
      if (fallback == null) {
        fallback = m;
      }
    }
    return fallback;
  }

  private ProxyConnectionPool pool(MemberInfo node) {
    return pools.computeIfAbsent(node.http(), url ->
        new ProxyConnectionPool(new PoolManager(), URI.create(url), client, OptionMap.EMPTY));
  }

  /** Pool limits per I/O thread; a problem host is retried after a second. */
  private static final class PoolManager extends ConnectionPoolErrorHandler.SimpleConnectionPoolErrorHandler
      implements ConnectionPoolManager {
    @Override
    public int getProblemServerRetry() {
      return 1;
    }

    @Override
    public int getMaxConnections() {
      return 32;
    }

    @Override
    public int getMaxCachedConnections() {
      return 32;
    }

    @Override
    public int getSMaxConnections() {
      return 32;
    }

    @Override
    public long getTtl() {
      return -1;
    }

    @Override
    public int getMaxQueueSize() {
      return 256;
    }
  }
}

package dev.alpharen.ardpx.internal;

import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arhav.NodePicker;
import io.undertow.client.UndertowClient;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ConnectionPoolErrorHandler;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * Undertow's proxy client with ALPHA-REN's host choice: each request goes to the best node the
 * {@link NodePicker} offers (ACTIVE, ALIVE, nearest and least loaded) that is not ejected as an
 * outlier and was not already tried for this request — an ejected one only when no other is
 * left — over a connection pool per node. Every attempt's latency and outcome feed the picker and
 * the ejector: a refused connection ejects the node, and so does a streak of 5xx answers or of
 * connections that broke before the answer. Per node it keeps one {@link Target} (pool, meters,
 * ejection state), so a request costs no string building and no lookup by URL. Thread-safe.
 */
public final class NodeProxyClient implements ProxyClient {
  /** The meters of the node that served the request (or was tried last), for the recorder. */
  public static final AttachmentKey<BackendMeters.Backend> BACKEND =
      AttachmentKey.create(BackendMeters.Backend.class);
  /** The connection to the node, to cut a request short (see {@link ClientDeadline}). */
  static final AttachmentKey<ProxyConnection> CONNECTION =
      AttachmentKey.create(ProxyConnection.class);
  private static final AttachmentKey<Attempts> ATTEMPTS = AttachmentKey.create(Attempts.class);
  private static final ProxyTarget TARGET = new ProxyTarget() { };
  /** Node sockets send each request at once: a proxy's writes are whole requests. */
  private static final OptionMap NODE_SOCKET = OptionMap.create(Options.TCP_NODELAY, true);

  private final NodePicker picker;
  private final OutlierEjector ejector;
  private final BackendMeters meters;
  private final LongSupplier nanoClock;
  private final UndertowClient client = UndertowClient.getInstance();
  private final Map<String, Target> targets = new ConcurrentHashMap<>(); // by node id

  public NodeProxyClient(NodePicker picker, OutlierEjector ejector, BackendMeters meters,
      LongSupplier nanoClock) {
    this.picker = picker;
    this.ejector = ejector;
    this.meters = meters;
    this.nanoClock = nanoClock;
  }

  @Override
  public ProxyTarget findTarget(HttpServerExchange exchange) {
    return TARGET;
  }

  @Override
  public void getConnection(ProxyTarget target, HttpServerExchange exchange,
      ProxyCallback<ProxyConnection> callback, long timeout, TimeUnit timeUnit) {
    Attempts attempts = exchange.getAttachment(ATTEMPTS);
    if (attempts == null) {
      attempts = attempts(exchange);
    }
    Target node = next(exchange, attempts, callback);
    if (node == null) {
      callback.couldNotResolveBackend(exchange);
      return;
    }
    node.pool.connect(target, exchange, attempts, timeout, timeUnit, false);
  }

  /** A new request's attempts, which record its outcome into picker and ejector at its end. */
  Attempts attempts(HttpServerExchange exchange) {
    Attempts attempts = new Attempts();
    exchange.putAttachment(ATTEMPTS, attempts);
    exchange.addExchangeCompleteListener(attempts);
    return attempts;
  }

  /**
   * Ends the attempt in progress as failed, if any (counted against its node when it had
   * connected), and begins one on the best node not tried yet; null when none is left.
   */
  Target next(HttpServerExchange exchange, Attempts attempts,
      ProxyCallback<ProxyConnection> callback) {
    long now = nanoClock.getAsLong();
    attempts.previousFailed(now);
    Target node = choose(attempts, now);
    if (node != null) {
      attempts.begin(node, callback, now);
      exchange.putAttachment(BACKEND, node.meters);
    }
    return node;
  }

  /** Ends the attempt in progress as failed, with no other to follow. */
  void failed(Attempts attempts) {
    attempts.previousFailed(nanoClock.getAsLong());
  }

  /** Closes the pools of nodes that are no longer in the cluster and forgets their state. */
  public void prune(Set<String> presentIds) {
    for (String id : List.copyOf(targets.keySet())) {
      if (!presentIds.contains(id)) {
        Target gone = targets.remove(id);
        if (gone != null) {
          gone.pool.close();
          gone.relayed.close();
          ejector.forget(id);
        }
      }
    }
  }

  /** The ids of the nodes this client holds a pool for. */
  public Set<String> pooled() {
    return Set.copyOf(targets.keySet());
  }

  /** Best node not tried yet: not ejected first; an ejected one only if nothing else is left. */
  private Target choose(Attempts attempts, long now) {
    attempts.choosingAt = now;
    attempts.allowEjected = false;
    Optional<MemberInfo> best = picker.best(attempts);
    if (best.isEmpty()) {
      attempts.allowEjected = true;
      best = picker.best(attempts);
    }
    return best.map(this::target).orElse(null);
  }

  private Target target(MemberInfo m) {
    Target t = targets.get(m.id());
    if (t != null && t.serves(m)) {
      return t;
    }
    Target fresh = new Target(m, ejector.node(m.id()), meters.backend(m.id()));
    Target old = targets.put(m.id(), fresh);
    if (old != null) {
      old.pool.close(); // the node came back on another address
      old.relayed.close();
    }
    return fresh;
  }

  /**
   * One node as this client knows it: its address, pools (Undertow's and {@link NodeRelay}'s),
   * meters and ejection state.
   */
  final class Target {
    private final String id;
    private final String host;
    private final int port;
    final InetSocketAddress address;
    private final ProxyConnectionPool pool;
    final NodeConnections relayed = new NodeConnections();
    private final OutlierEjector.Node ejection;
    private final BackendMeters.Backend meters;

    private Target(MemberInfo m, OutlierEjector.Node ejection, BackendMeters.Backend meters) {
      this.id = m.id();
      this.host = m.node().host();
      this.port = m.node().ports().http();
      this.address = new InetSocketAddress(host, port);
      this.pool = new ProxyConnectionPool(new PoolManager(), URI.create(m.http()), client,
          NODE_SOCKET);
      this.ejection = ejection;
      this.meters = meters;
    }

    private boolean serves(MemberInfo m) {
      return port == m.node().ports().http() && host.equals(m.node().host());
    }
  }

  /**
   * The attempts of one request: which nodes were tried, the one in progress, and whether its
   * connection was made (so that a failure after it counts as a broken answer, not a refused
   * connection). Also the request's filter for the picker and its completion listener. Used by
   * one exchange at a time.
   */
  final class Attempts implements ProxyCallback<ProxyConnection>, Predicate<MemberInfo>,
      ExchangeCompletionListener {
    private String[] tried = new String[3];
    private int triedCount;
    private boolean allowEjected;
    private long choosingAt;
    private Target current;
    private NodePicker.Call call;
    private long startNanos;
    private boolean connected;
    private ProxyCallback<ProxyConnection> callback;

    void begin(Target node, ProxyCallback<ProxyConnection> next, long now) {
      if (triedCount == tried.length) {
        tried = Arrays.copyOf(tried, tried.length * 2);
      }
      tried[triedCount++] = node.id;
      current = node;
      call = picker.begin(node.id);
      startNanos = now;
      connected = false;
      callback = next;
    }

    /** How many nodes the request was sent to, or tried to be. */
    int count() {
      return triedCount;
    }

    /** The attempt in progress reached its node: a failure from now on counts as broken. */
    void connected() {
      connected = true;
    }

    /** The attempt in progress could not connect to its node. */
    void connectFailed() {
      current.ejection.connectFailed(nanoClock.getAsLong());
      current.meters.connectFailed();
    }

    /** The attempt in progress failed and the request is tried again. */
    void previousFailed(long now) {
      if (current == null) {
        return;
      }
      call.done(now - startNanos);
      if (connected) {
        current.ejection.failed(now);
        current.meters.broke();
      }
      current = null;
    }

    @Override
    public boolean test(MemberInfo m) {
      if (m.node().ports().http() == 0) {
        return false;
      }
      for (int i = 0; i < triedCount; i++) {
        if (tried[i].equals(m.id())) {
          return false;
        }
      }
      if (allowEjected) {
        return true;
      }
      Target known = targets.get(m.id());
      return known == null || !known.ejection.ejected(choosingAt);
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
      try {
        if (current != null) {
          long now = nanoClock.getAsLong();
          call.done(now - startNanos);
          current.ejection.answered(exchange.getStatusCode(), now);
          current = null;
        }
      } finally {
        next.proceed();
      }
    }

    @Override
    public void completed(HttpServerExchange exchange, ProxyConnection result) {
      connected = true;
      exchange.putAttachment(CONNECTION, result);
      callback.completed(exchange, result);
    }

    @Override
    public void failed(HttpServerExchange exchange) {
      connectFailed();
      callback.failed(exchange);
    }

    @Override
    public void queuedRequestFailed(HttpServerExchange exchange) {
      callback.queuedRequestFailed(exchange);
    }

    @Override
    public void couldNotResolveBackend(HttpServerExchange exchange) {
      callback.couldNotResolveBackend(exchange);
    }
  }

  /** Pool limits per I/O thread; a problem host is retried after a second. */
  private static final class PoolManager
      extends ConnectionPoolErrorHandler.SimpleConnectionPoolErrorHandler
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

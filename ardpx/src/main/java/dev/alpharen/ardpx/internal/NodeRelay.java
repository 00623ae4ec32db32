package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import java.time.Duration;
import java.util.Set;
import org.xnio.XnioIoThread;

/**
 * ARDPX's own path to the nodes for the requests that are most of its traffic: GET, HEAD,
 * OPTIONS and DELETE without a body. Each runs on its client's I/O thread from start to end,
 * over a keep-alive connection of that thread's ({@link NodeConnections}): the request goes out
 * in one write, the answer comes back on reads that stay armed, and an answer that arrived whole
 * goes to the client in one write from the buffer it was read into ({@link Relay}). Undertow's
 * proxy handler ({@code fallback}) carries everything else: requests with a body, and any
 * request not on an I/O thread.
 *
 * <p>It keeps the proxy handler's contract: the same X-Forwarded-For/-Proto/-Server/-Host/-Port
 * headers, the same node choice and accounting ({@link NodeProxyClient}: picker, ejector,
 * meters), a request that could not connect or whose connection broke before any answer is
 * tried on the next node (up to {@code connectRetries} more), 503 when no node is left, 504 past
 * the request timeout, and a client connection closed when an answer breaks off half-way. An
 * answer it cannot read as HTTP/1.x gets 502. Thread-safe.
 */
public final class NodeRelay implements HttpHandler {
  private static final Set<HttpString> RELAYED = Set.of(Methods.GET, Methods.HEAD,
      Methods.OPTIONS, Methods.DELETE);

  private final NodeProxyClient nodes;
  private final HttpHandler fallback;
  private final long timeoutMs;
  private final int maxAttempts;
  /** The deadlines of each I/O thread's requests; only I/O threads relay. */
  private final ThreadLocal<Deadlines> deadlines;

  /**
   * @param nodes the node choice and accounting, shared with {@code fallback}
   * @param fallback Undertow's proxy handler, for what the relay does not carry
   * @param requestTimeout past this a request gets 504
   * @param connectRetries how many other nodes a request is tried on
   */
  public NodeRelay(NodeProxyClient nodes, HttpHandler fallback, Duration requestTimeout,
      int connectRetries) {
    this.nodes = nodes;
    this.fallback = fallback;
    this.timeoutMs = requestTimeout.toMillis();
    this.maxAttempts = 1 + connectRetries;
    long timeoutNanos = requestTimeout.toNanos();
    this.deadlines = ThreadLocal.withInitial(() -> new Deadlines(
        (XnioIoThread) Thread.currentThread(), timeoutNanos, System::nanoTime));
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.isInIoThread() || !exchange.isRequestComplete()
        || !RELAYED.contains(exchange.getRequestMethod())) {
      fallback.handleRequest(exchange);
      return;
    }
    keepReadingClient(exchange);
    exchange.dispatch(SameThreadExecutor.INSTANCE, new Relay(exchange, nodes, deadlines.get(),
        maxAttempts, timeoutMs));
  }

  /**
   * Undertow stops reading a client's connection when a bodiless request has been read, and
   * starts again when it is answered. Around a wait for the node, that is two epoll_ctl calls
   * per request (the selector drops the socket and adds it back). Reading on instead is safe:
   * whatever arrives meanwhile (a pipelined request, the end of the connection) wakes
   * Undertow's read listener, which then stops reading until this request is done. Plain HTTP
   * only: TLS reads are Undertow's to manage.
   */
  private static void keepReadingClient(HttpServerExchange exchange) {
    if (exchange.getConnection() instanceof HttpServerConnection http
        && http.getSslSessionInfo() == null) {
      http.getChannel().getSourceChannel().resumeReads();
    }
  }
}

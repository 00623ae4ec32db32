package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.WorkerUtils;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * Answers 408 to a client that has not sent its whole request body within the client timeout of
 * the request reaching the proxy, and cuts the request to the node short, so that a slow client
 * holds neither a node connection nor the request timeout (whose 504 means "the node was slow").
 * Slow headers are Undertow's to catch (its parse timeout closes the connection). Thread-safe.
 */
public final class ClientDeadline implements HttpHandler {
  private final HttpHandler next;
  private final long timeoutMs;

  public ClientDeadline(HttpHandler next, Duration clientTimeout) {
    this.next = next;
    this.timeoutMs = clientTimeout.toMillis();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.isRequestComplete()) {
      XnioExecutor.Key key = WorkerUtils.executeAfter(exchange.getIoThread(),
          () -> expire(exchange), timeoutMs, TimeUnit.MILLISECONDS);
      exchange.addExchangeCompleteListener((done, nextListener) -> {
        key.remove();
        nextListener.proceed();
      });
    }
    next.handleRequest(exchange);
  }

  private void expire(HttpServerExchange exchange) {
    if (exchange.isRequestComplete() || exchange.isComplete()) {
      return;
    }
    ProxyConnection node = exchange.getAttachment(NodeProxyClient.CONNECTION);
    if (exchange.isResponseStarted()) {
      IoUtils.safeClose(exchange.getConnection());
    } else {
      exchange.setPersistent(false);
      JsonError.send(exchange, 408, "the request body did not arrive within " + timeoutMs
          + " ms (proxy.clientTimeout)");
    }
    if (node != null) {
      IoUtils.safeClose(node.getConnection()); // the node saw half a request: do not reuse
    }
  }
}

package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every request once it is complete: into the {@link BackendMeters}, and, when enabled,
 * as one line on the {@code alpharen.access} logger at INFO:
 * {@code 127.0.0.1 "GET /path?q HTTP/1.1" 200 512 3.1ms backend=node-1} (client, request line,
 * status, response body bytes, time from request to last byte, serving node or {@code -}).
 * The line is formatted on the I/O thread but written elsewhere: the node's logback.xml sends
 * this logger through an asynchronous appender that drops lines rather than stall requests when
 * its queue is full. Thread-safe.
 */
public final class RequestRecorder implements HttpHandler {
  /** The access log's logger name; route it to its own file in logback.xml. */
  public static final String LOGGER = "alpharen.access";
  private static final Logger access = LoggerFactory.getLogger(LOGGER);

  private final HttpHandler next;
  private final boolean log;
  private final BackendMeters meters;

  public RequestRecorder(HttpHandler next, boolean log, BackendMeters meters) {
    this.next = next;
    this.log = log;
    this.meters = meters;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long start = System.nanoTime();
    exchange.addExchangeCompleteListener((done, nextListener) -> {
      try {
        record(done, System.nanoTime() - start);
      } finally {
        nextListener.proceed();
      }
    });
    next.handleRequest(exchange);
  }

  private void record(HttpServerExchange exchange, long tookNanos) {
    BackendMeters.Backend backend = exchange.getAttachment(NodeProxyClient.BACKEND);
    (backend == null ? meters.none() : backend).answered(exchange.getStatusCode(), tookNanos);
    if (log && access.isInfoEnabled()) {
      InetSocketAddress source = exchange.getSourceAddress();
      String query = exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString();
      String target = (exchange.getRequestURI() + query).replace("\"", "%22");
      long tenths = tookNanos / 100_000;
      access.info("{} \"{} {} {}\" {} {} {}.{}ms backend={}",
          source == null || source.getAddress() == null ? "-"
              : source.getAddress().getHostAddress(),
          exchange.getRequestMethod(), target, exchange.getProtocol(),
          exchange.getStatusCode(), exchange.getResponseBytesSent(), tenths / 10, tenths % 10,
          backend == null ? "-" : backend.id());
    }
  }
}

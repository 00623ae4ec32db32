package dev.alpharen.arsrv.runtime;

import dev.alpharen.arwadm.HttpJson;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code platform-http} consumer served by the node's Undertow server: binds its path in the
 * {@link HttpRouter} while started, turns each request into an exchange (headers, query parameters
 * and the body in, {@code CamelHttpResponseCode}, {@code Content-Type} and headers the route set
 * out; bodies up to {@value #MAX_BODY} bytes, else 413). On stop it unbinds first, hands requests that arrive late back to the router (which finds
 * the next version) and waits for its own requests in flight. A failed exchange answers 500 with
 * the error message only; one refused by a full broker queue answers 503 with {@code Retry-After}
 * (back-pressure: nothing was taken, the caller tries again). Thread-safe.
 */
final class UndertowHttpConsumer extends DefaultConsumer implements PlatformHttpConsumer {
  private static final Logger log = LoggerFactory.getLogger(UndertowHttpConsumer.class);
  private static final long DRAIN_MS = 30_000;
  /** The largest request body an integration endpoint takes. */
  static final int MAX_BODY = 10 * 1024 * 1024;

  private final HttpRouter router;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile HttpRouter.Binding binding;
  private volatile boolean stopping;

  UndertowHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, HttpRouter router) {
    super(endpoint, processor);
    this.router = router;
  }

  @Override
  public PlatformHttpEndpoint getEndpoint() {
    return (PlatformHttpEndpoint) super.getEndpoint();
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    PlatformHttpEndpoint e = getEndpoint();
    String restrict = e.getHttpMethodRestrict();
    Set<String> methods = restrict == null || restrict.isBlank() ? Set.of()
        : Arrays.stream(restrict.split(",")).map(m -> m.trim().toUpperCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    String path = e.getPath().startsWith("/") ? e.getPath() : "/" + e.getPath();
    stopping = false;
    HttpRouter.Binding b = new HttpRouter.Binding(path, e.isMatchOnUriPrefix(), methods,
        "route " + getRouteId(), this::handle);
    router.bind(b);
    binding = b;
  }

  @Override
  protected void doStop() throws Exception {
    // Unbind before flagging: a late request is handed back to the router, which must not find
    // this consumer again (it would come straight back here, round and round).
    HttpRouter.Binding b = binding;
    if (b != null) {
      router.unbind(b);
      binding = null;
    }
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
    synchronized (inFlight) {
      long left;
      while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
        inFlight.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
    super.doStop();
  }

  private void handle(HttpServerExchange http) throws Exception {
    inFlight.incrementAndGet();
    // stopping is written before doStop reads inFlight: a request either sees it set, or is seen
    boolean late = stopping;
    try {
      if (!late) {
        process(http);
      }
    } finally {
      if (inFlight.decrementAndGet() == 0 && stopping) {
        synchronized (inFlight) {
          inFlight.notifyAll();
        }
      }
    }
    if (late) {
      router.handleRequest(http); // not in flight here: it waits for the next version, or 404
    }
  }

  private void process(HttpServerExchange http) throws Exception {
    http.startBlocking();
    http.setMaxEntitySize(MAX_BODY);
    byte[] bytes;
    try {
      bytes = http.getInputStream().readNBytes(MAX_BODY + 1);
    } catch (io.undertow.server.RequestTooBigException e) {
      bytes = null;
    }
    if (bytes == null || bytes.length > MAX_BODY) {
      HttpJson.error(http, 413, "request body is larger than " + MAX_BODY + " bytes");
      return;
    }
    Exchange exchange = createExchange(false);
    try {
      Set<String> requestHeaders = new HashSet<>();
      Message in = exchange.getIn();
      for (HeaderValues h : http.getRequestHeaders()) {
        String name = h.getHeaderName().toString();
        requestHeaders.add(name.toLowerCase(Locale.ROOT));
        in.setHeader(name, h.size() == 1 ? h.getFirst() : java.util.List.copyOf(h));
      }
      for (Map.Entry<String, Deque<String>> q : http.getQueryParameters().entrySet()) {
        requestHeaders.add(q.getKey().toLowerCase(Locale.ROOT));
        if (!in.hasHeaders() || in.getHeader(q.getKey()) == null) {
          Deque<String> v = q.getValue();
          in.setHeader(q.getKey(), v.size() == 1 ? v.getFirst() : java.util.List.copyOf(v));
        }
      }
      in.setHeader(Exchange.HTTP_METHOD, http.getRequestMethod().toString());
      in.setHeader(Exchange.HTTP_URI, http.getRequestURI());
      in.setHeader(Exchange.HTTP_PATH, http.getRelativePath());
      in.setHeader(Exchange.HTTP_QUERY, http.getQueryString());
      in.setHeader(Exchange.HTTP_RAW_QUERY, http.getQueryString());
      in.setBody(bytes.length == 0 ? null : text(bytes));
      getProcessor().process(exchange);
      respond(http, exchange, requestHeaders);
    } finally {
      releaseExchange(exchange, false);
    }
  }

  private void respond(HttpServerExchange http, Exchange exchange, Set<String> requestHeaders) {
    if (exchange.getException() != null && Backpressure.isQueueFull(exchange.getException())) {
      // back-pressure: the message was not taken; the caller keeps it and tries again
      http.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER,
          Backpressure.RETRY_AFTER_S);
      HttpJson.error(http, 503, "a queue of route " + exchange.getFromRouteId() + " is full;"
          + " nothing was accepted, try again in " + Backpressure.RETRY_AFTER_S + " s");
      return;
    }
    if (exchange.getException() != null) {
      String route = exchange.getFromRouteId();
      log.debug("route {} failed on {} {}: {}", route, http.getRequestMethod(),
          http.getRequestPath(), exchange.getException().toString());
      HttpJson.error(http, 500, "route " + route + " failed: "
          + summary(exchange.getException().getMessage()));
      return;
    }
    Message out = exchange.getMessage();
    Integer code = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    Object body = out.getBody();
    byte[] bytes = body == null ? new byte[0]
        : exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
    http.setStatusCode(code != null ? code : bytes.length == 0 ? 204 : 200);
    for (Map.Entry<String, Object> h : out.getHeaders().entrySet()) {
      String name = h.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      boolean own = lower.startsWith("camel") || lower.startsWith("org.apache.camel")
          || requestHeaders.contains(lower) || lower.equals("content-length")
          || lower.equals("transfer-encoding") || h.getValue() == null;
      if (!own && (h.getValue() instanceof CharSequence || h.getValue() instanceof Number
          || h.getValue() instanceof Boolean)) {
        http.getResponseHeaders().put(HttpString.tryFromString(name), h.getValue().toString());
      }
    }
    String type = out.getHeader(Exchange.CONTENT_TYPE, String.class);
    if (type != null) {
      http.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, type);
    } else if (bytes.length > 0) {
      http.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE,
          body instanceof byte[] ? "application/octet-stream" : "text/plain; charset=UTF-8");
    }
    http.getResponseSender().send(ByteBuffer.wrap(bytes));
  }

  /** The first line of an error message, at most 300 characters: no dumps to callers. */
  private static String summary(String message) {
    String line = message == null ? "" : message.strip().lines().findFirst().orElse("");
    return line.length() <= 300 ? line : line.substring(0, 297) + "...";
  }

  /** UTF-8 text when the bytes are valid UTF-8, else the bytes themselves. */
  private static Object text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return bytes;
    }
  }
}

package dev.alpharen.ardpx.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * Refuses requests over the proxy's limits before they reach a node, each with its own status:
 * headers larger than {@code maxHeaderBytes} → 431, a declared body larger than
 * {@code maxBodyBytes} → 413 (a chunked body, whose size is known only as it arrives, is cut
 * off where it passes the limit, and the answer is 413 too — see {@link BodyLimit}), and
 * ambiguous framing — Content-Length together with Transfer-Encoding, or several differing
 * Content-Lengths — → 400, so no request can be read two ways (request smuggling). Thread-safe.
 */
public final class RequestLimits implements HttpHandler {
  private final HttpHandler next;
  private final int maxHeaderBytes;
  private final long maxBodyBytes;

  public RequestLimits(HttpHandler next, int maxHeaderBytes, long maxBodyBytes) {
    this.next = next;
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    long headerBytes = exchange.getRequestMethod().length() + exchange.getRequestURI().length()
        + exchange.getQueryString().length() + 12;
    for (HeaderValues values : exchange.getRequestHeaders()) {
      for (String value : values) {
        headerBytes += values.getHeaderName().length() + value.length() + 4;
      }
    }
    if (headerBytes > maxHeaderBytes) {
      refuse(exchange, 431, "request headers are " + headerBytes + " bytes; at most "
          + maxHeaderBytes + " are allowed");
      return;
    }
    HeaderValues lengths = exchange.getRequestHeaders().get(Headers.CONTENT_LENGTH);
    boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    if (lengths != null && (chunked || lengths.stream().distinct().count() > 1)) {
      refuse(exchange, 400, "ambiguous request framing: Content-Length with Transfer-Encoding or"
          + " several Content-Lengths");
      return;
    }
    if (lengths != null) {
      long length;
      try {
        length = Long.parseLong(lengths.getFirst().trim());
      } catch (NumberFormatException e) {
        refuse(exchange, 400, "Content-Length is not a number");
        return;
      }
      if (length > maxBodyBytes) {
        refuse(exchange, 413, "request body is " + length + " bytes; at most " + maxBodyBytes
            + " are allowed");
        return;
      }
    } else if (chunked) {
      exchange.addRequestWrapper((factory, ex) -> new BodyLimit(factory.create(), ex,
          maxBodyBytes));
      exchange.addDefaultResponseListener(ex -> {
        if (ex.getAttachment(BodyLimit.EXCEEDED) == null) {
          return false;
        }
        refuse(ex, 413, "request body is over " + maxBodyBytes + " bytes; at most "
            + maxBodyBytes + " are allowed");
        return true;
      });
    }
    next.handleRequest(exchange);
  }

  private static void refuse(HttpServerExchange exchange, int status, String message) {
    exchange.setPersistent(false); // the rest of this connection cannot be trusted
    JsonError.send(exchange, status, message);
  }
}

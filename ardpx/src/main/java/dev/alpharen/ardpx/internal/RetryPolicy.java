package dev.alpharen.ardpx.internal;

import io.undertow.predicate.Predicate;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Set;

/**
 * When a request whose node failed may be tried on another node. A refused connection is always
 * retried, whatever the method: nothing reached the node. Once the request went out, the node may
 * have acted on it, so a broken connection is retried only for a request that is idempotent
 * (GET, HEAD, PUT, DELETE, OPTIONS) and carried no body; any other gets 503. {@link #AFTER_SEND}
 * is that rule for Undertow's proxy handler. Stateless and thread-safe.
 */
public final class RetryPolicy {
  /** Whether a request may be retried after its connection broke: idempotent and bodiless. */
  public static final Predicate AFTER_SEND = RetryPolicy::mayRetryAfterSend;

  /** Set when the client sent a chunked body (its Transfer-Encoding is gone by the proxy). */
  static final AttachmentKey<Boolean> CHUNKED = AttachmentKey.create(Boolean.class);
  private static final Set<HttpString> IDEMPOTENT = Set.of(Methods.GET, Methods.HEAD,
      Methods.PUT, Methods.DELETE, Methods.OPTIONS);

  private RetryPolicy() {}

  static boolean mayRetryAfterSend(HttpServerExchange exchange) {
    if (!IDEMPOTENT.contains(exchange.getRequestMethod())
        || exchange.getAttachment(CHUNKED) != null) {
      return false;
    }
    String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    return length == null || length.trim().equals("0");
  }
}

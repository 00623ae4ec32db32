package dev.alpharen.arhav.probe;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Serves ARHAV's probes on the node HTTP server: {@code /arhav/ping} answers 204 at once on the
 * I/O thread (the round trip is what is measured), {@code /arhav/probe?target=ID} pings the target
 * for the asking member and answers {@code alive} or {@code silent}. Open, like the health
 * endpoints: it reveals nothing but liveness. Thread-safe.
 */
public final class ProbeHandler implements HttpHandler {
  private final Function<String, CompletableFuture<Boolean>> probeFor;

  /** @param probeFor pings a node by id; completes with whether it answered */
  public ProbeHandler(Function<String, CompletableFuture<Boolean>> probeFor) {
    this.probeFor = probeFor;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String path = exchange.getRelativePath();
    if (path.equals("/ping")) {
      exchange.setStatusCode(204);
      exchange.endExchange();
    } else if (path.equals("/probe")) {
      Deque<String> target = exchange.getQueryParameters().get("target");
      if (target == null || target.isEmpty()) {
        text(exchange, 400, "probe needs ?target=<node id>");
        return;
      }
      // Async: the exchange stays open after this returns and is answered when the ping ends.
      exchange.dispatch(SameThreadExecutor.INSTANCE, () -> probeFor.apply(target.getFirst())
          .whenComplete((alive, error) ->
              text(exchange, 200, error == null && alive ? "alive" : "silent")));
    } else {
      text(exchange, 404, "no such ARHAV resource: " + path);
    }
  }

  private static void text(HttpServerExchange exchange, int status, String body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
    exchange.getResponseSender().send(body);
  }
}

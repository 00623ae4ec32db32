package dev.alpharen.arsrv.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Objects;

/** Hands requests to a handler that can be replaced once, while serving. Thread-safe. */
final class SwitchableHandler implements HttpHandler {
  private volatile HttpHandler current;

  SwitchableHandler(HttpHandler initial) {
    this.current = Objects.requireNonNull(initial);
  }

  void switchTo(HttpHandler next) {
    current = Objects.requireNonNull(next);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    current.handleRequest(exchange);
  }
}

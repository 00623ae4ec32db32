package dev.alpharen.arsrv.node;

import dev.alpharen.arsrv.activity.Activity;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.Severity;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;

/**
 * Records every changing admin request (any method but GET and HEAD) as an {@code admin.action}
 * activity once it has been answered: who, what, on which path, with which status. Sits behind
 * the authentication, so the user is known. Thread-safe.
 */
final class AdminAudit implements HttpHandler {
  private final HttpHandler next;
  private final ActivityRecorder activities;
  private final String user;

  AdminAudit(HttpHandler next, ActivityRecorder activities, String user) {
    this.next = next;
    this.activities = activities;
    this.user = user;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.getRequestMethod().equals(Methods.GET)
        && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      String method = exchange.getRequestMethod().toString();
      String path = "/api/v1" + exchange.getRelativePath();
      String query = exchange.getQueryString();
      String from = exchange.getSourceAddress() == null ? ""
          : exchange.getSourceAddress().getAddress().getHostAddress();
      exchange.addExchangeCompleteListener((done, nextListener) -> {
        int status = done.getStatusCode();
        activities.record(ActivityType.ADMIN_ACTION, status >= 400 ? Severity.WARNING
                : Severity.NOTICE, ActivityRecorder.Scope.NONE, user + " " + method + " " + path
                + (query.isEmpty() ? "" : "?" + query) + " -> " + status,
            Activity.details("user", user, "method", method, "path", path, "status", status,
                "from", from));
        nextListener.proceed();
      });
    }
    next.handleRequest(exchange);
  }
}

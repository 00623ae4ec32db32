package dev.alpharen.arsrv.runtime;

import dev.alpharen.arwadm.IntegrationRejectedException;
import java.util.Locale;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ResolveEndpointFailedException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Turns what Camel throws while parsing and building an integration into the message and place a
 * user can act on: YAML errors at their mark, an unknown component by name at the line of its
 * URI, other build errors with their root cause at the line of the failing route. Stateless.
 */
final class ErrorLocator {
  private ErrorLocator() {}

  static IntegrationRejectedException locate(Throwable error, String document) {
    return locate(error, document, routeId -> 0);
  }

  /**
   * @param lineOfRoute the line where a route (by id) starts in the document, 0 if unknown; where
   *     a build error has no place of its own
   */
  static IntegrationRejectedException locate(Throwable error, String document,
      java.util.function.ToIntFunction<String> lineOfRoute) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof IntegrationRejectedException r) {
        return r;
      }
      if (t instanceof MarkedYamlEngineException y) {
        Mark mark = y.getProblemMark().or(y::getContextMark).orElse(null);
        String problem = y.getProblem() != null ? y.getProblem() : firstLine(y.getMessage());
        String context = y.getContext() != null ? y.getContext() + ": " : "";
        return new IntegrationRejectedException("invalid YAML: " + context + problem,
            mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1);
      }
      if (t instanceof NoSuchEndpointException e) {
        String uri = e.getUri() == null ? "" : e.getUri();
        String scheme = scheme(uri);
        return at(document, scheme + ":", "unknown component '" + scheme + "' in endpoint '"
            + uri.replace("://", ":") + "': no Camel component of that name is on this node's"
            + " classpath");
      }
      if (t instanceof ResolveEndpointFailedException e && e.getUri() != null) {
        String reason = firstLine(String.valueOf(rootOf(e).getMessage()));
        int dueTo = reason.lastIndexOf("due to: ");
        return at(document, scheme(e.getUri()) + ":", "endpoint '" + e.getUri().replace("://", ":")
            + "': " + (dueTo < 0 ? reason : reason.substring(dueTo + "due to: ".length())));
      }
    }
    Throwable root = rootOf(error);
    String message = firstLine(String.valueOf(root.getMessage()));
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof FailedToCreateRouteException f && f.getRouteId() != null) {
        int line = lineOfRoute.applyAsInt(f.getRouteId());
        return new IntegrationRejectedException("route " + f.getRouteId() + ": " + message, line,
            line > 0 ? 1 : 0);
      }
    }
    return new IntegrationRejectedException(message, 0, 0);
  }

  /** A rejection at the first place {@code needle} occurs in the document. */
  static IntegrationRejectedException at(String document, String needle, String message) {
    int index = document.indexOf(needle);
    if (index < 0) {
      return new IntegrationRejectedException(message, 0, 0);
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (document.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new IntegrationRejectedException(message, line, index - lineStart + 1);
  }

  private static String scheme(String uri) {
    int colon = uri.indexOf(':');
    return (colon < 0 ? uri : uri.substring(0, colon)).toLowerCase(Locale.ROOT);
  }

  private static Throwable rootOf(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String firstLine(String text) {
    String line = text == null ? "" : text.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl).strip();
  }
}

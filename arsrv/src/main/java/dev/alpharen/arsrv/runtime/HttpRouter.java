package dev.alpharen.arsrv.runtime;

import dev.alpharen.arwadm.HttpJson;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serves the HTTP endpoints of integrations on the node's own server: each running
 * {@code platform-http:} consumer binds its path here, exact or as a prefix. While an integration
 * is being swapped for a new version, a request for a path nobody serves waits (at most
 * {@link #SWAP_HOLD}) for the swap to finish instead of failing, so that an update loses no
 * request. Bindings are an immutable list swapped atomically. Thread-safe.
 */
public final class HttpRouter implements HttpHandler {
  /** The longest a request waits for a swap in progress. */
  public static final Duration SWAP_HOLD = Duration.ofSeconds(5);
  /** Paths the node serves itself; integrations may not bind them. */
  public static final List<String> RESERVED = List.of("/api", "/health", "/arhav", "/metrics",
      "/console");

  private final AtomicReference<List<Binding>> bindings = new AtomicReference<>(List.of());
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition swapped = lock.newCondition();
  private int swapping;
  private int waiting;

  /**
   * One served path.
   *
   * @param path the path, starting with '/'
   * @param prefix whether deeper paths match too
   * @param methods the allowed methods, upper case; empty for any
   * @param owner who serves it, for messages
   */
  record Binding(String path, boolean prefix, Set<String> methods, String owner,
      HttpHandler handler) {
    boolean matches(String requestPath) {
      return path.equals(requestPath) || prefix && (path.equals("/")
          || requestPath.startsWith(path.endsWith("/") ? path : path + "/"));
    }
  }

  /** Why {@code path} may not be bound, or empty if it may. */
  static Optional<String> refusal(String path) {
    for (String reserved : RESERVED) {
      if (path.equals(reserved) || path.startsWith(reserved + "/")) {
        return Optional.of("platform-http path '" + path + "' is reserved for the node ("
            + String.join(", ", RESERVED) + "); choose another path");
      }
    }
    return Optional.empty();
  }

  /** Starts serving a binding. @throws IllegalStateException if its path and method are taken */
  void bind(Binding binding) {
    bindings.updateAndGet(current -> {
      for (Binding b : current) {
        if (b.path().equals(binding.path()) && b.prefix() == binding.prefix()
            && (b.methods().isEmpty() || binding.methods().isEmpty()
            || b.methods().stream().anyMatch(binding.methods()::contains))) {
          throw new IllegalStateException("platform-http path '" + binding.path()
              + "' is already served by " + b.owner());
        }
      }
      List<Binding> next = new ArrayList<>(current);
      next.add(binding);
      // exact paths first, then the longest prefix
      next.sort(Comparator.comparing(Binding::prefix)
          .thenComparing(b -> -b.path().length()));
      return List.copyOf(next);
    });
  }

  void unbind(Binding binding) {
    bindings.updateAndGet(current -> current.stream().filter(b -> b != binding).toList());
  }

  /** Runs a swap; requests for unserved paths wait for it to end. */
  <T> T duringSwap(Callable<T> swap) throws Exception {
    lock.lock();
    try {
      swapping++;
    } finally {
      lock.unlock();
    }
    try {
      return swap.call();
    } finally {
      lock.lock();
      try {
        swapping--;
        swapped.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** How many requests wait for a swap now. */
  int waiting() {
    lock.lock();
    try {
      return waiting;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (exchange.isInIoThread()) {
      exchange.dispatch(this);
      return;
    }
    String path = exchange.getRelativePath().isEmpty() ? "/" : exchange.getRelativePath();
    Binding target = find(exchange, path);
    if (target == null && awaitSwaps()) {
      target = find(exchange, path);
    }
    if (target == null) {
      boolean pathKnown = bindings.get().stream().anyMatch(b -> b.matches(path));
      if (pathKnown) {
        HttpJson.error(exchange, 405, "method " + exchange.getRequestMethod()
            + " is not allowed on " + path);
      } else {
        HttpJson.error(exchange, 404, "no such resource: " + path);
      }
      return;
    }
    target.handler().handleRequest(exchange);
  }

  private Binding find(HttpServerExchange exchange, String path) {
    String method = exchange.getRequestMethod().toString();
    for (Binding b : bindings.get()) {
      if (b.matches(path) && (b.methods().isEmpty() || b.methods().contains(method))) {
        return b;
      }
    }
    return null;
  }

  /** Waits while a swap is in progress; true if there was one. */
  private boolean awaitSwaps() throws InterruptedException {
    lock.lock();
    try {
      if (swapping == 0) {
        return false;
      }
      long nanos = SWAP_HOLD.toNanos();
      waiting++;
      try {
        while (swapping > 0 && nanos > 0) {
          nanos = swapped.awaitNanos(nanos);
        }
      } finally {
        waiting--;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}

package dev.alpharen.ardpx.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * ARDPX's meters, per backend node: {@code ardpx.requests} (a timer: count and latency of the
 * requests a node answered; {@code backend="none"} for those refused before any node) and
 * {@code ardpx.errors} (a counter by {@code reason}: {@code 5xx} answers, {@code connect}
 * failures, {@code broken} connections that gave no answer). The meters of a backend are
 * registered together the first time it is named, and kept in a {@link Backend} that the proxy
 * holds on to, so that a request costs no lookup. Thread-safe.
 */
public final class BackendMeters {
  private final MeterRegistry registry;
  private final Map<String, Backend> backends = new ConcurrentHashMap<>();
  private final Backend none;

  public BackendMeters(MeterRegistry registry) {
    this.registry = registry;
    this.none = backend("none");
  }

  /** The meters of {@code id}, registered on first use. */
  public Backend backend(String id) {
    return backends.computeIfAbsent(id, Backend::new);
  }

  /** The meters of requests no node answered. */
  public Backend none() {
    return none;
  }

  /** One backend's meters. Thread-safe. */
  public final class Backend {
    private final String id;
    private final Timer requests;
    private final Counter serverErrors;
    private final Counter connectFailures;
    private final Counter broken;

    private Backend(String id) {
      this.id = id;
      this.requests = Timer.builder("ardpx.requests")
          .description("requests through ARDPX, by the node that answered")
          .tag("backend", id).register(registry);
      this.serverErrors = error(id, "5xx");
      this.connectFailures = error(id, "connect");
      this.broken = error(id, "broken");
    }

    public String id() {
      return id;
    }

    /** A request finished with {@code status} after {@code latencyNanos}. */
    public void answered(int status, long latencyNanos) {
      requests.record(latencyNanos, TimeUnit.NANOSECONDS);
      if (status >= 500) {
        serverErrors.increment();
      }
    }

    /** The backend could not be connected to. */
    public void connectFailed() {
      connectFailures.increment();
    }

    /** The backend's connection broke before it answered. */
    public void broke() {
      broken.increment();
    }

    private Counter error(String backend, String reason) {
      return Counter.builder("ardpx.errors")
          .description("failed requests and connections to a node through ARDPX")
          .tag("backend", backend).tag("reason", reason).register(registry);
    }
  }
}

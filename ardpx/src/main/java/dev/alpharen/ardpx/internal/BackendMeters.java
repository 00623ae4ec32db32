package dev.alpharen.ardpx.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ARDPX's meters, per backend node: {@code ardpx.requests} (a timer: count and latency of the
 * requests a node answered; {@code backend="none"} for those refused before any node) and
 * {@code ardpx.errors} (a counter by {@code reason}: {@code 5xx} answers, {@code connect}
 * failures). Thread-safe.
 */
public final class BackendMeters {
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  public BackendMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A request finished with {@code status}, served by {@code backend} (or "none"). */
  public void answered(String backend, int status, Duration latency) {
    timers.computeIfAbsent(backend, b -> Timer.builder("ardpx.requests")
        .description("requests through ARDPX, by the node that answered")
        .tag("backend", b).register(registry)).record(latency);
    if (status >= 500) {
      error(backend, "5xx");
    }
  }

  /** The backend could not be connected to. */
  public void connectFailed(String backend) {
    error(backend, "connect");
  }

  private void error(String backend, String reason) {
    errors.computeIfAbsent(backend + "\n" + reason, k -> Counter.builder("ardpx.errors")
        .description("failed requests and connections to a node through ARDPX")
        .tag("backend", backend).tag("reason", reason).register(registry)).increment();
  }
}

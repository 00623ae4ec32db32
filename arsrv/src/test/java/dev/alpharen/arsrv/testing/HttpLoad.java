package dev.alpharen.arsrv.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Continuous HTTP load on a test cluster, either spread over its nodes the way a health-checking
 * load balancer sends it ({@link #start}: a poller refreshes the set of nodes whose
 * {@code /health/ready} answers 200 every 100 ms, and workers send requests round-robin to nodes
 * in that set only), or all through one address such as ARDPX's ({@link #through}). Successes
 * are counted per node that answered ({@code X-Alpharen-Node}); every failed request (non-2xx or
 * I/O error) is recorded with the target and the reason. The load is bounded: it stops by itself
 * after {@code maxDuration}. Thread-safe.
 */
public final class HttpLoad implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Supplier<List<TestNode>> nodes;
  private final Optional<String> via;
  private final String path;
  private final Instant deadline;
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final String auth = "Basic " + Base64.getEncoder().encodeToString(
      ("admin:" + TestNode.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
  private final Map<String, String> ready = new ConcurrentHashMap<>(); // id -> base URL
  private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private HttpLoad(Supplier<List<TestNode>> nodes, Optional<String> via, String path,
      Duration maxDuration) {
    this.nodes = nodes;
    this.via = via;
    this.path = path;
    this.deadline = Instant.now().plus(maxDuration);
  }

  /**
   * Starts polling and {@code workers} request loops.
   *
   * @param nodes the nodes to consider, asked again on every poll (so added nodes join in)
   * @param path the request path, sent with admin credentials
   */
  public static HttpLoad start(Supplier<List<TestNode>> nodes, String path, int workers,
      Duration maxDuration) {
    HttpLoad load = new HttpLoad(nodes, Optional.empty(), path, maxDuration);
    load.pollOnce();
    load.spawn("http-load-poller", load::pollLoop);
    for (int i = 0; i < workers; i++) {
      load.spawn("http-load-worker-" + i, load::workLoop);
    }
    return load;
  }

  /**
   * Starts {@code workers} request loops that all send to {@code baseUrl} (a proxy), with no
   * readiness polling: every request the proxy fails counts.
   */
  public static HttpLoad through(String baseUrl, String path, int workers, Duration maxDuration) {
    HttpLoad load = new HttpLoad(List::of, Optional.of(baseUrl), path, maxDuration);
    for (int i = 0; i < workers; i++) {
      load.spawn("http-load-worker-" + i, load::workLoop);
    }
    return load;
  }

  /** Successful requests served by the node. */
  public long successes(String nodeId) {
    AtomicLong n = successes.get(nodeId);
    return n == null ? 0 : n.get();
  }

  public long totalSuccesses() {
    return successes.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Every failed request: node, time and reason. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(15_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void spawn(String name, Runnable loop) {
    Thread t = new Thread(loop, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private boolean go() {
    return running && Instant.now().isBefore(deadline);
  }

  private void pollLoop() {
    while (go()) {
      long started = System.nanoTime();
      try {
        pollOnce();
      } catch (RuntimeException e) {
        failures.add(Instant.now() + " poller: " + e); // a broken poller must fail the test
      }
      long waitNanos = POLL.toNanos() - (System.nanoTime() - started);
      if (waitNanos > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(waitNanos);
      }
    }
  }

  private void pollOnce() {
    for (TestNode node : nodes.get()) {
      boolean isReady = false;
      String url = null;
      if (node.isAlive()) {
        try {
          url = node.httpUrl();
          isReady = client.send(HttpRequest.newBuilder(URI.create(url + "/health/ready"))
              .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200;
        } catch (IOException | IllegalStateException e) {
          isReady = false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (isReady) {
        ready.put(node.id(), url);
      } else {
        ready.remove(node.id());
      }
    }
  }

  private void workLoop() {
    while (go()) {
      List<Map.Entry<String, String>> targets = via.isPresent()
          ? List.of(Map.entry("proxy", via.get())) : new ArrayList<>(ready.entrySet());
      if (targets.isEmpty()) {
        java.util.concurrent.locks.LockSupport.parkNanos(POLL.toNanos());
        continue;
      }
      Map.Entry<String, String> target = targets.get(Math.floorMod(next.getAndIncrement(),
          targets.size()));
      try {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
            URI.create(target.getValue() + path)).header("Authorization", auth)
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          String node = response.headers().firstValue("X-Alpharen-Node").orElse(target.getKey());
          successes.computeIfAbsent(node, k -> new AtomicLong()).incrementAndGet();
        } else {
          failures.add(Instant.now() + " " + target.getKey() + ": HTTP " + response.statusCode()
              + " " + response.body());
        }
      } catch (IOException e) {
        failures.add(Instant.now() + " " + target.getKey() + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}

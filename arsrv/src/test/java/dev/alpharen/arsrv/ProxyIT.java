package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * ARDPX on real node processes under continuous GET load through one node's proxy: a node killed
 * with SIGKILL, a drained node and a joining node cost no failed request.
 */
class ProxyIT {
  @Test
  void killDrainAndJoinUnderLoadWithNoFailedRequest() {
    try (TestCluster cluster = TestCluster.start(3, "node.drainGrace=1s");
        Load load = new Load(proxyUrl(cluster.node(0)) + "/health/live", 6)) {
      await("every node serves through the proxy").atMost(Duration.ofSeconds(20))
          .until(() -> cluster.nodes().stream().allMatch(n -> load.served(n.id()) > 0));

      cluster.node(1).kill();
      cluster.awaitClusterSize(2);
      long afterKill = load.total();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.total() > afterKill + 200);

      TestNode fourth = cluster.addNode().start().awaitReady();
      cluster.awaitClusterSize(3);
      await("the new node takes traffic").atMost(Duration.ofSeconds(10))
          .until(() -> load.served(fourth.id()) > 0);

      TestNode drained = cluster.node(2);
      HttpResponse<String> accepted = cluster.node(0).send(HttpRequest.newBuilder(URI.create(
          cluster.node(0).httpUrl() + "/api/v1/nodes/" + drained.id() + "/drain"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(202, accepted.statusCode(), accepted.body());
      assertEquals(0, drained.awaitExit(Duration.ofSeconds(30)));
      long afterDrain = load.total();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.total() > afterDrain + 200);

      load.close();
      assertEquals(List.of(), load.failures(), "failed requests through the proxy");
    }
  }

  private static String proxyUrl(TestNode node) {
    return "http://127.0.0.1:" + node.getJson("/api/v1/nodes/" + node.id()).get("ports")
        .get("proxy").asInt();
  }

  /** Bounded GET load on one URL, counting answers per serving node and every failure. */
  private static final class Load implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong total = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    private volatile boolean running = true;

    Load(String url, int workers) {
      for (int i = 0; i < workers; i++) {
        Thread t = new Thread(() -> {
          while (running && Instant.now().isBefore(deadline)) {
            try {
              HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
              total.incrementAndGet();
              if (r.statusCode() == 200) {
                String node = r.headers().firstValue("X-Alpharen-Node").orElse("?");
                served.computeIfAbsent(node, k -> new AtomicLong()).incrementAndGet();
              } else {
                failures.add(Instant.now() + " HTTP " + r.statusCode());
              }
            } catch (IOException e) {
              failures.add(Instant.now() + " " + e);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "proxy-load-" + i);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    long served(String node) {
      AtomicLong n = served.get(node);
      return n == null ? 0 : n.get();
    }

    long total() {
      return total.get();
    }

    List<String> failures() {
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
  }
}

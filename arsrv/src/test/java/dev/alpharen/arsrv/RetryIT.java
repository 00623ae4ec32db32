package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Messages consumed from a queue survive a target that is down: retried in memory, then through
 * the broker's durable retry queue (also across a restart of every node), then kept as dead
 * letters that the API lists, replays and deletes. Real nodes, a real HTTP target on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestCluster cluster;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);

  @BeforeAll
  void startCluster() {
    cluster = TestCluster.start(2);
  }

  @AfterAll
  void stopCluster() {
    scheduler.shutdownNow();
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void deliversEveryMessageExactlyOnceAfterTheTargetWasDownFor20Seconds() throws Exception {
    try (Target target = new Target(freePort())) {
      target.start();
      deploy("flow", target.port(), """
          # alpharen.retry.maxAttempts: 2
          # alpharen.retry.initialDelay: 100ms
          # alpharen.retry.durableAttempts: 40
          # alpharen.retry.durableInitialDelay: 1s
          # alpharen.retry.durableMaxDelay: 3s
          """);
      ExecutorService senders = Executors.newFixedThreadPool(8);
      try {
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
          TestNode entry = cluster.node(i % 2);
          String id = "m" + i;
          if (i == 200) {
            // the first 200 flow; the target is gone for 20 s while the rest arrive
            await().atMost(Duration.ofSeconds(30)).until(() -> target.distinct() >= 100);
            target.stop();
            scheduler.schedule(target::start, 20, TimeUnit.SECONDS);
          }
          sent.add(senders.submit(() -> post(entry, "/flow", id)));
        }
        for (Future<HttpResponse<String>> f : sent) {
          HttpResponse<String> response = f.get(60, TimeUnit.SECONDS);
          assertEquals(200, response.statusCode(), response.body());
        }
      } finally {
        senders.shutdownNow();
      }
      await("all 1000 delivered").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500)).until(() -> target.distinct() == 1000);
      // nothing left anywhere that could still arrive twice
      for (TestNode node : cluster.running()) {
        await("queues of " + node.id() + " empty").atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> {
              assertEquals(0, depth(node, "alpharen.retry"));
              assertEquals(0, depth(node, "it.flow"));
            });
      }
      assertEquals(Map.of(), target.duplicates(), "messages delivered more than once");
      assertEquals(1000, target.distinct());
      assertTrue(target.refusedWhileDown(), "the target was really down");
      long retried = cluster.running().stream().mapToLong(n -> counted(n, "flow", "retrying"))
          .sum();
      assertTrue(retried > 0, "some messages waited in the durable retry queue");
      System.out.println("retry: 1000 of 1000 delivered once, the last "
          + Duration.ofNanos(target.lastArrival() - target.startedAt()).toMillis()
          + " ms after the target returned; " + retried + " durable run(s) stored");
      assertEquals(0, deadLetters("flow").size());
    }
  }

  @Test
  void keepsDeadLettersThatAreListedReplayedOnceAndDeleted() throws Exception {
    try (Target target = new Target(freePort())) {
      deploy("doomed", target.port(), """
          # alpharen.retry.maxAttempts: 1
          # alpharen.retry.durableAttempts: 2
          # alpharen.retry.durableInitialDelay: 200ms
          """);
      for (int i = 0; i < 6; i++) {
        assertEquals(200, post(cluster.node(i % 2), "/doomed", "d" + i).statusCode());
      }
      await("six dead letters").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
          .until(() -> deadLetters("doomed").size() == 6);
      await("six dead-lettered recorded").atMost(Duration.ofSeconds(10)).until(() -> cluster
          .node(0).getJson("/api/v1/activities?type=exchange.dead-lettered&integration=doomed")
          .get("activities").size() == 6);
      List<JsonNode> letters = deadLetters("doomed");
      JsonNode first = letters.get(0);
      assertEquals("doomed", first.get("integration").asText());
      assertEquals("doomed.deliver", first.get("route").asText());
      assertEquals("it.doomed", first.get("queue").asText());
      assertEquals(2, first.get("durableAttempts").asInt());
      assertTrue(first.get("error").asText().contains("Connection refused"), first.toString());
      assertEquals(3, first.get("history").size(), "the first run and two durable runs");
      assertTrue(first.get("bodyPreview").asText().matches("d[0-5]"), first.toString());
      assertEquals(2, first.get("size").asInt());
      assertTrue(cluster.node(0).getJson("/api/v1/deadletters?integration=other")
          .get("deadLetters").isEmpty());
      assertEquals(3, cluster.node(0).getJson("/api/v1/deadletters?integration=doomed&limit=3")
          .get("deadLetters").size());

      TestNode admin = cluster.node(1);
      String unknown = "00000000-0000-0000-0000-000000000000";
      HttpResponse<String> missing = post(admin, "/api/v1/deadletters/" + unknown + "/replay");
      assertEquals(404, missing.statusCode(), missing.body());
      assertEquals("{\"error\":\"no dead letter '" + unknown + "' on any node\"}", missing.body());
      HttpResponse<String> malformed = post(admin, "/api/v1/deadletters/nope/replay");
      assertEquals(400, malformed.statusCode(), malformed.body());
      assertEquals("{\"error\":\"dead-letter id must be a UUID as listed by GET"
          + " /api/v1/deadletters, was 'nope'\"}", malformed.body());
      assertEquals(400, admin.get("/api/v1/deadletters?limit=0").statusCode());

      String discarded = letters.get(5).get("bodyPreview").asText();
      HttpResponse<String> deleted = admin.send(HttpRequest.newBuilder(URI.create(
          admin.httpUrl() + "/api/v1/deadletters/" + letters.get(5).get("id").asText())).DELETE());
      assertEquals(200, deleted.statusCode(), deleted.body());
      assertEquals(5, deadLetters("doomed").size());

      target.start();
      for (JsonNode letter : letters.subList(0, 5)) {
        HttpResponse<String> replayed = post(admin, "/api/v1/deadletters/"
            + letter.get("id").asText() + "/replay");
        assertEquals(200, replayed.statusCode(), replayed.body());
      }
      await("five replayed").atMost(Duration.ofSeconds(30)).until(() -> target.distinct() == 5);
      await("five replays recorded").atMost(Duration.ofSeconds(10)).until(() -> admin.getJson(
          "/api/v1/activities?type=exchange.replayed&integration=doomed").get("activities")
          .size() == 5);
      assertEquals(0, deadLetters("doomed").size());
      for (TestNode node : cluster.running()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> depth(node, "it.doomed") == 0);
      }
      assertEquals(Map.of(), target.duplicates());
      assertTrue(!target.received().containsKey(discarded), "the deleted letter stays deleted");
      HttpResponse<String> again = post(admin, "/api/v1/deadletters/"
          + letters.get(0).get("id").asText() + "/replay");
      assertEquals(404, again.statusCode(), "a replayed letter is gone: " + again.body());
    }
  }

  @Test
  void retriesSurviveARestartOfEveryNode() throws Exception {
    try (Target target = new Target(freePort())) {
      deploy("survivor", target.port(), """
          # alpharen.retry.maxAttempts: 1
          # alpharen.retry.durableAttempts: 20
          # alpharen.retry.durableInitialDelay: 4s
          # alpharen.retry.durableMaxDelay: 4s
          """);
      for (int i = 0; i < 10; i++) {
        assertEquals(200, post(cluster.node(i % 2), "/survivor", "s" + i).statusCode());
      }
      await("ten waiting in the retry queues").atMost(Duration.ofSeconds(20)).until(() ->
          cluster.running().stream().mapToLong(n -> counted(n, "survivor", "retrying")).sum()
              >= 10);
      for (TestNode node : cluster.nodes()) {
        node.stop();
      }
      target.start();
      for (TestNode node : cluster.nodes()) {
        node.start();
      }
      cluster.nodes().forEach(TestNode::awaitReady);
      try {
        await("ten delivered after the restart").atMost(Duration.ofSeconds(60))
            .until(() -> target.distinct() == 10);
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError("delivered " + target.received().keySet() + "; queues "
            + cluster.running().stream().map(n -> n.id() + ": " + n.get("/api/v1/queues").body())
                .toList(), e);
      }
      for (TestNode node : cluster.running()) {
        await().atMost(Duration.ofSeconds(20)).until(() -> depth(node, "alpharen.retry") == 0
            && depth(node, "it.survivor") == 0);
      }
      assertEquals(Map.of(), target.duplicates());
    }
  }

  /** HTTP → queue {@code it.NAME} → HTTP target, with the given metadata lines. */
  private void deploy(String name, int targetPort, String metadata) {
    String yaml = metadata + """
        - route:
            id: accept
            from:
              uri: "platform-http:/%1$s?httpMethodRestrict=POST"
              steps:
                - to: "jms:queue:it.%1$s?exchangePattern=InOnly"
                - setBody:
                    constant: "accepted"
        - route:
            id: deliver
            from:
              uri: "jms:queue:it.%1$s?concurrentConsumers=4"
              steps:
                - to: "http://127.0.0.1:%2$d/deliver?throwExceptionOnFailure=true"
        """.formatted(name, targetPort);
    TestNode node = cluster.node(0);
    HttpResponse<String> put = node.send(HttpRequest.newBuilder(URI.create(node.httpUrl()
        + "/api/v1/integrations/" + name)).PUT(HttpRequest.BodyPublishers.ofString(yaml)));
    assertEquals(201, put.statusCode(), put.body());
    for (TestNode n : cluster.running()) {
      await(name + " on " + n.id()).atMost(Duration.ofSeconds(5)).until(() -> "running".equals(
          node.getJson("/api/v1/integrations/" + name).path("nodes").path(n.id()).path("state")
              .asText()));
    }
  }

  private List<JsonNode> deadLetters(String integration) {
    List<JsonNode> letters = new ArrayList<>();
    cluster.node(0).getJson("/api/v1/deadletters?integration=" + integration)
        .get("deadLetters").forEach(letters::add);
    return letters;
  }

  private static long depth(TestNode node, String queue) {
    for (JsonNode q : node.getJson("/api/v1/queues").get("queues")) {
      if (q.get("name").asText().equals(queue)) {
        return q.get("messages").asLong();
      }
    }
    return 0;
  }

  /** How many exchanges of the integration ended with {@code outcome} on the node. */
  private static long counted(TestNode node, String integration, String outcome) {
    String prefix = "alpharen_integration_exchanges_seconds_count{integration=\"" + integration
        + "\",node=\"" + node.id() + "\",outcome=\"" + outcome + "\"} ";
    return node.get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).sum();
  }

  private static HttpResponse<String> post(TestNode node, String path, String body) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> post(TestNode node, String path) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The integration's target: counts each body it receives; stopped, it refuses connections. */
  private static final class Target implements AutoCloseable {
    private final int port;
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private HttpServer server; // guarded by this
    private volatile boolean wasDown;
    private volatile long startedAt;
    private volatile long lastArrival;

    Target(int port) {
      this.port = port;
    }

    int port() {
      return port;
    }

    synchronized void start() {
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
            50);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/deliver", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(),
            StandardCharsets.UTF_8);
        received.computeIfAbsent(body, b -> new AtomicInteger()).incrementAndGet();
        lastArrival = System.nanoTime();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.start();
      startedAt = System.nanoTime();
    }

    long startedAt() {
      return startedAt;
    }

    long lastArrival() {
      return lastArrival;
    }

    /**
     * Goes down between requests: stops accepting connections and lets a request it is handling
     * finish, so that it never counts a message whose answer it then cuts off (a target that
     * crashes after acting on a request and before answering gets it again, and only an
     * idempotent target takes that exactly once; docs/integrations.md).
     */
    synchronized void stop() {
      if (server != null) {
        server.stop(2);
        ((ExecutorService) server.getExecutor()).shutdownNow();
        server = null;
        try (java.net.Socket probe = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
          wasDown = false;
        } catch (IOException refused) {
          wasDown = true;
        }
      }
    }

    boolean refusedWhileDown() {
      return wasDown;
    }

    int distinct() {
      return received.size();
    }

    Map<String, AtomicInteger> received() {
      return received;
    }

    Map<String, Integer> duplicates() {
      Map<String, Integer> twice = new java.util.TreeMap<>();
      received.forEach((body, n) -> {
        if (n.get() > 1) {
          twice.put(body, n.get());
        }
      });
      return twice;
    }

    @Override
    public void close() {
      stop();
    }
  }
}

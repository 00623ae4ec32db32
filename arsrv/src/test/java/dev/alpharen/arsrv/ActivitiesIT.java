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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The activity journal on real node processes: the cluster-wide query API and its filters, the
 * node and cluster activities, a sink that is unreachable and then catches up (in health and
 * metrics), and a {@code kill -9} that must not lose an activity the node had already written
 * (served by the query API, which reads only what the file sink forced to the disk).
 */
class ActivitiesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ECHO = """
      # alpharen.capture: all
      - route:
          from:
            uri: platform-http:/echo
            steps:
              - setBody:
                  constant: "echo"
      """;

  @Test
  void answersForEveryNodeNewestFirstAndRefusesBadFilters() throws Exception {
    try (TestCluster cluster = TestCluster.start(2)) {
      TestNode asked = cluster.node(0);
      TestNode other = cluster.node(1);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode answer = asked.getJson("/api/v1/activities?type=node.started");
        assertEquals(Set.of(asked.id(), other.id()), nodesOf(answer.get("activities")));
        assertEquals("ok", answer.get("nodes").get(other.id()).asText());
      });

      assertEquals(201, put(other, "echo", ECHO).statusCode());
      // the deploy reaches the node's runtime within 2 s; calls before it get 404, no exchange
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .until(() -> "echo".equals(other.get("/echo").body()));
      for (int i = 1; i < 5; i++) {
        assertEquals("echo", other.get("/echo").body());
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode completed = asked.getJson("/api/v1/activities?integration=echo"
            + "&type=exchange.completed&node=" + other.id());
        assertEquals(5, completed.get("activities").size());
        JsonNode admin = asked.getJson("/api/v1/activities?type=admin.action&node=" + other.id());
        assertEquals("admin PUT /api/v1/integrations/echo -> 201",
            admin.path("activities").path(0).path("message").asText());
        JsonNode deployed = asked.getJson("/api/v1/activities?integration=echo"
            + "&type=integration.deployed");
        assertEquals("integration echo version 1 deployed by admin",
            deployed.path("activities").path(0).path("message").asText());
      });

      JsonNode all = asked.getJson("/api/v1/activities?limit=1000");
      List<Instant> times = new ArrayList<>();
      all.get("activities").forEach(a -> times.add(Instant.parse(a.get("at").asText())));
      List<Instant> newestFirst = new ArrayList<>(times);
      newestFirst.sort(java.util.Comparator.reverseOrder());
      assertEquals(newestFirst, times);
      assertEquals(2, asked.getJson("/api/v1/activities?limit=2").get("activities").size());

      // every node said when it turned ready
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(
          Set.of(asked.id(), other.id()),
          nodesOf(asked.getJson("/api/v1/activities?type=node.ready").get("activities"))));

      // severity is the least severity; since is inclusive, until exclusive
      JsonNode notice = asked.getJson("/api/v1/activities?severity=notice&limit=1000");
      Set<String> types = new HashSet<>();
      notice.get("activities").forEach(a -> {
        assertTrue(Set.of("notice", "warning", "error", "critical").contains(
            a.get("severity").asText()), a.toString());
        types.add(a.get("type").asText());
      });
      assertTrue(types.contains("node.started") && !types.contains("node.ready")
          && !types.contains("exchange.completed"), types.toString());
      Instant from = times.get(times.size() - 2);
      Instant to = times.get(1);
      Set<String> expected = new HashSet<>();
      all.get("activities").forEach(a -> {
        Instant at = Instant.parse(a.get("at").asText());
        if (!at.isBefore(from) && at.isBefore(to)) {
          expected.add(a.get("id").asText());
        }
      });
      JsonNode window = asked.getJson("/api/v1/activities?limit=1000&since=" + from + "&until="
          + to);
      window.get("activities").forEach(a -> {
        Instant at = Instant.parse(a.get("at").asText());
        assertTrue(!at.isBefore(from) && at.isBefore(to), a + " outside [" + from + ", " + to
            + ")");
      });
      assertTrue(ids(window).containsAll(expected), "the window misses some of " + expected);
      assertTrue(!expected.isEmpty() && expected.size() < times.size(), "a real window: "
          + expected.size() + " of " + times.size());

      assertBadRequest(asked, "type=node.exploded", "type: unknown activity type"
          + " 'node.exploded'; allowed: node.started, ");
      assertBadRequest(asked, "severity=loud", "severity: unknown severity 'loud'; allowed:"
          + " debug, info, notice, warning, error, critical");
      assertBadRequest(asked, "since=yesterday", "since must be an ISO-8601 instant such as"
          + " 2026-11-25T07:00:00Z, was 'yesterday'");
      assertBadRequest(asked, "limit=0", "limit must be a whole number from 1 to 10000, was '0'");
      assertBadRequest(asked, "nodes=a", "unknown parameter 'nodes'; allowed: type, severity,"
          + " integration, node, since, until, limit");

      // the coordinator leaves: the other node takes over and says so, and that it left
      String coordinator = asked.getJson("/api/v1/cluster").get("coordinator").asText();
      TestNode leaving = coordinator.equals(asked.id()) ? asked : other;
      TestNode staying = leaving == asked ? other : asked;
      assertEquals(0, leaving.stop());
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode changed = staying.getJson("/api/v1/activities?type=coordinator.changed&node="
            + staying.id()).path("activities");
        assertEquals("this node is the coordinator now (was " + leaving.id() + ")",
            changed.path(0).path("message").asText(), changed.toString());
        JsonNode left = staying.getJson("/api/v1/activities?type=member.left&node="
            + staying.id()).path("activities");
        assertEquals(leaving.id(), left.path(0).at("/details/member").asText(), left.toString());
      });
    }
  }

  @Test
  void losesNoWrittenActivityWhenKilled() throws Exception {
    Path dir = Files.createDirectories(Files.createTempDirectory(Path.of("target"),
        "activities-it").toAbsolutePath().resolve("integrations"));
    Files.writeString(dir.resolve("echo.yaml"), ECHO);
    int hookPort = freePort(); // nothing listens there yet: the webhook sink is down
    try (TestCluster cluster = TestCluster.start(1, "integrations.dir=" + dir,
        "activities.webhook.url=http://127.0.0.1:" + hookPort + "/hook",
        "activities.webhook.timeout=2s",
        "activities.rules=[{sink: webhook, types: [node.started, node.ready, node.stopped]}]");
        Webhook hook = new Webhook()) {
      TestNode node = cluster.node(0);
      assertUnreachableSinkShowsAndCatchesUp(node, hook, hookPort);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger answered = new AtomicInteger();
      Thread load = new Thread(() -> {
        for (int i = 0; i < 20_000 && !stop.get(); i++) {
          try {
            if ("echo".equals(node.get("/echo").body())) {
              answered.incrementAndGet();
            }
          } catch (UncheckedIOException | IllegalStateException e) {
            return; // the node is gone
          }
        }
      }, "echo-load");
      load.start();
      Set<String> written = new HashSet<>();
      try {
        // what the query answers was read from the file, so it had been forced to the disk
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          written.addAll(ids(node.getJson("/api/v1/activities?integration=echo&limit=10000")));
          return written.size() >= 300;
        });
        node.kill();
      } finally {
        stop.set(true);
        load.join(30_000);
      }
      assertTrue(answered.get() > 0, "the load reached the node");

      node.start().awaitReady();
      Set<String> after = ids(node.getJson("/api/v1/activities?integration=echo&limit=10000"));
      Set<String> lost = new HashSet<>(written);
      lost.removeAll(after);
      assertEquals(Set.of(), lost, "activities served before the kill -9 but gone after it");

      // a planned stop writes the node's own last activity before the process ends
      assertEquals(0, node.stop());
      node.start().awaitReady();
      JsonNode stopped = node.getJson("/api/v1/activities?type=node.stopped");
      assertEquals(1, stopped.get("activities").size(), stopped.toString());
      JsonNode ready = node.getJson("/health/ready");
      assertEquals("up", ready.at("/details/activities/sinks/file/state").asText(),
          ready.toString());
      // and the webhook gets it from the file after the restart
      await().atMost(Duration.ofSeconds(30)).until(() -> hook.types().contains("node.stopped"));
    }
  }

  /**
   * A webhook sink pointing at a closed port: the node stays ready, {@code /health/ready} and
   * {@code /metrics} say the sink is down with a backlog; once a listener appears, it catches up.
   */
  private static void assertUnreachableSinkShowsAndCatchesUp(TestNode node, Webhook hook,
      int port) throws Exception {
    await("webhook down in /health/ready").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> response = node.get("/health/ready");
      assertEquals(200, response.statusCode(), "a down sink leaves the node ready: "
          + response.body());
      JsonNode webhook = JSON.readTree(response.body()).at("/details/activities/sinks/webhook");
      assertEquals("down", webhook.path("state").asText(), webhook.toString());
      assertTrue(webhook.path("error").asText().contains("127.0.0.1:" + port), webhook.toString());
      assertTrue(webhook.path("behindBytes").asLong() > 0, webhook.toString());
      assertTrue(webhook.path("failures").asLong() >= 1, webhook.toString());
      assertTrue(webhook.hasNonNull("downSince"), webhook.toString());
    });
    String metrics = node.get("/metrics").body();
    assertEquals(0.0, metric(metrics, "alpharen_activity_sink_up", "webhook"), metrics);
    assertTrue(metric(metrics, "alpharen_activity_sink_behind_bytes", "webhook") > 0, metrics);
    assertTrue(metric(metrics, "alpharen_activity_sink_failures_total", "webhook") >= 1, metrics);
    assertEquals(1.0, metric(metrics, "alpharen_activity_sink_up", "file"), metrics);

    hook.listen(port);
    await("webhook caught up").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      JsonNode webhook = node.getJson("/health/ready").at("/details/activities/sinks/webhook");
      assertEquals("up", webhook.path("state").asText(), webhook.toString());
      assertEquals(0, webhook.path("behindBytes").asLong(), webhook.toString());
    });
    assertTrue(hook.types().containsAll(List.of("node.started", "node.ready")),
        hook.types().toString());
    await("metrics say up").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String after = node.get("/metrics").body();
      assertEquals(1.0, metric(after, "alpharen_activity_sink_up", "webhook"), after);
      assertEquals(0.0, metric(after, "alpharen_activity_sink_behind_bytes", "webhook"), after);
    });
  }

  /** The value of a meter with the label sink="NAME" in Prometheus text. */
  private static double metric(String metrics, String name, String sink) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*sink=\"" + sink + "\"[^}]*} (\\S+)$")
        .matcher(metrics);
    assertTrue(m.find(), "no " + name + "{sink=\"" + sink + "\"}");
    return Double.parseDouble(m.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A webhook receiver on loopback, listening once asked to; keeps the types it received. */
  private static final class Webhook implements AutoCloseable {
    private final List<String> types = new CopyOnWriteArrayList<>();
    private HttpServer server;

    void listen(int port) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/hook", exchange -> {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        body.path("activities").forEach(a -> types.add(a.path("type").asText()));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      });
      server.start();
    }

    List<String> types() {
      return types;
    }

    @Override
    public void close() {
      if (server != null) {
        server.stop(0);
      }
    }
  }

  private static void assertBadRequest(TestNode node, String query, String start) {
    HttpResponse<String> response = node.get("/api/v1/activities?" + query);
    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().startsWith("{\"error\":\"" + start), response.body());
  }

  private static Set<String> nodesOf(JsonNode activities) {
    Set<String> nodes = new HashSet<>();
    activities.forEach(a -> nodes.add(a.get("node").asText()));
    return nodes;
  }

  private static Set<String> ids(JsonNode answer) {
    Set<String> ids = new HashSet<>();
    answer.get("activities").forEach(a -> ids.add(a.get("id").asText()));
    return ids;
  }

  private static HttpResponse<String> put(TestNode node, String name, String yaml) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/integrations/"
        + name)).PUT(HttpRequest.BodyPublishers.ofString(yaml)));
  }

}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The activity journal on real node processes: the cluster-wide query API, and a {@code kill -9}
 * that must not lose an activity the node had already written (served by the query API, which
 * reads only what the file sink forced to the disk).
 */
class ActivitiesIT {
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
            admin.get("activities").get(0).get("message").asText());
        JsonNode deployed = asked.getJson("/api/v1/activities?integration=echo"
            + "&type=integration.deployed");
        assertEquals("integration echo version 1 deployed by admin",
            deployed.get("activities").get(0).get("message").asText());
      });

      JsonNode all = asked.getJson("/api/v1/activities?limit=1000");
      List<Instant> times = new ArrayList<>();
      all.get("activities").forEach(a -> times.add(Instant.parse(a.get("at").asText())));
      List<Instant> newestFirst = new ArrayList<>(times);
      newestFirst.sort(java.util.Comparator.reverseOrder());
      assertEquals(newestFirst, times);
      assertEquals(2, asked.getJson("/api/v1/activities?limit=2").get("activities").size());

      assertBadRequest(asked, "type=node.exploded", "type: unknown activity type"
          + " 'node.exploded'; allowed: node.started, ");
      assertBadRequest(asked, "severity=loud", "severity: unknown severity 'loud'; allowed:"
          + " debug, info, notice, warning, error, critical");
      assertBadRequest(asked, "since=yesterday", "since must be an ISO-8601 instant such as"
          + " 2026-11-25T07:00:00Z, was 'yesterday'");
      assertBadRequest(asked, "limit=0", "limit must be a whole number from 1 to 10000, was '0'");
      assertBadRequest(asked, "nodes=a", "unknown parameter 'nodes'; allowed: type, severity,"
          + " integration, node, since, until, limit");
    }
  }

  @Test
  void losesNoWrittenActivityWhenKilled() throws Exception {
    Path dir = Files.createDirectories(Files.createTempDirectory(Path.of("target"),
        "activities-it").toAbsolutePath().resolve("integrations"));
    Files.writeString(dir.resolve("echo.yaml"), ECHO);
    try (TestCluster cluster = TestCluster.start(1, "integrations.dir=" + dir)) {
      TestNode node = cluster.node(0);
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

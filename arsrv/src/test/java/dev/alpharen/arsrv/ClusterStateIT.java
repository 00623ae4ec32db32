package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Shared cluster state on real node processes: configuration entries and variables. */
class ClusterStateIT {
  @Test
  void configurationIsSharedVersionedAndSurvivesAFullClusterRestart() {
    try (TestCluster cluster = TestCluster.start(3)) {
      TestNode a = cluster.node(0);
      TestNode b = cluster.node(1);
      TestNode c = cluster.node(2);

      HttpResponse<String> created = put(a, "/api/v1/config/db-url", "jdbc:mariadb://db/a", null);
      assertEquals(201, created.statusCode(), created.body());
      assertEquals("{\"name\":\"db-url\",\"version\":1}", created.body());
      assertEquals(200, put(b, "/api/v1/config/db-url", "jdbc:mariadb://db/b", "1").statusCode());
      HttpResponse<String> stale = put(c, "/api/v1/config/db-url", "lost update", "1");
      assertEquals(409, stale.statusCode());
      assertEquals("{\"error\":\"config 'db-url' is at version 2, not 1\"}", stale.body());
      assertEquals(201, put(c, "/api/v1/config/mail-from", "ops@example.test", "0").statusCode());

      JsonNode seenOnC = c.getJson("/api/v1/config/db-url");
      assertEquals("jdbc:mariadb://db/b", seenOnC.get("content").asText());
      assertEquals(2, seenOnC.get("version").asLong());
      assertEquals(2, a.getJson("/api/v1/config/db-url/history").get("versions").size());

      HttpResponse<String> rolledBack = a.send(HttpRequest.newBuilder(URI.create(a.httpUrl()
          + "/api/v1/config/db-url/rollback?to=1")).POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(200, rolledBack.statusCode(), rolledBack.body());
      assertEquals("jdbc:mariadb://db/a", b.getJson("/api/v1/config/db-url").get("content")
          .asText());

      for (TestNode node : cluster.nodes()) {
        assertEquals(0, node.stop(), "graceful stop of " + node.id());
      }
      cluster.nodes().forEach(TestNode::start);
      cluster.nodes().forEach(TestNode::awaitReady);
      cluster.awaitClusterSize(3);

      for (TestNode node : cluster.nodes()) {
        JsonNode entry = node.getJson("/api/v1/config/db-url");
        assertEquals("jdbc:mariadb://db/a", entry.get("content").asText(), "on " + node.id());
        assertEquals(3, entry.get("version").asLong(), "on " + node.id());
        assertEquals("ops@example.test", node.getJson("/api/v1/config/mail-from").get("content")
            .asText());
      }
    }
  }

  @Test
  void clusterVariablesAreSeenEverywhereAndNodeVariablesStayLocal() {
    try (TestCluster cluster = TestCluster.start(2)) {
      TestNode a = cluster.node(0);
      TestNode b = cluster.node(1);
      assertEquals(200, put(a, "/api/v1/variables/last-run", "42", null).statusCode());
      assertEquals("42", b.getJson("/api/v1/variables/last-run").get("value").asText());
      assertEquals(200, put(a, "/api/v1/variables/scratch?scope=node", "x", null).statusCode());
      assertEquals(404, b.get("/api/v1/variables/scratch?scope=node").statusCode());
      assertEquals("x", a.getJson("/api/v1/variables/scratch?scope=node").get("value").asText());

      assertEquals(200, put(a, "/api/v1/variables/token?ttl=1s", "t", null).statusCode());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> b.get("/api/v1/variables/token").statusCode() == 404);

      HttpResponse<String> badScope = a.get("/api/v1/variables?scope=galaxy");
      assertEquals(400, badScope.statusCode());
      assertEquals("{\"error\":\"scope must be 'cluster' or 'node', was 'galaxy'\"}",
          badScope.body());
      HttpResponse<String> badTtl = put(a, "/api/v1/variables/x?ttl=soon", "v", null);
      assertEquals(400, badTtl.statusCode());
      assertTrue(badTtl.body().contains("ttl must be a positive duration"), badTtl.body());
    }
  }

  private static HttpResponse<String> put(TestNode node, String path, String body, String ifMatch) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return node.send(request);
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node directory on real node processes: descriptors, one node, coordinator, bad requests. */
class NodeDirectoryIT {
  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void clusterApiShowsEveryNodesDescriptor() {
    JsonNode body = cluster.node(2).getJson("/api/v1/cluster");
    assertEquals(3, body.get("members").size());
    for (JsonNode m : body.get("members")) {
      TestNode node = byId(m.get("id").asText());
      assertEquals("default", m.get("lan").asText());
      assertEquals(List.of("arsrv", "ardpx", "arwadm", "armail", "dns"),
          List.of(m.get("roles").get(0).asText(), m.get("roles").get(1).asText(),
              m.get("roles").get(2).asText(), m.get("roles").get(3).asText(),
              m.get("roles").get(4).asText()));
      assertEquals("ACTIVE", m.get("status").asText());
      assertEquals(node.httpUrl(), m.get("http").asText());
      assertEquals(node.httpUrl(), "http://127.0.0.1:" + m.get("ports").get("http").asInt());
      assertFalse(m.get("version").asText().isEmpty());
      assertTrue(Instant.parse(m.get("since").asText()).isBefore(Instant.now()));
    }
  }

  @Test
  void nodesApiAnswersOneNodeAndClearErrors() {
    JsonNode one = cluster.node(0).getJson("/api/v1/nodes/n2");
    assertEquals("n2", one.get("id").asText());
    assertEquals("127.0.0.1:" + cluster.node(1).clusterPort(), one.get("address").asText());

    HttpResponse<String> unknown = cluster.node(0).get("/api/v1/nodes/n9");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("no node 'n9' in cluster '" + cluster.name()
        + "'; members: n"), unknown.body());

    HttpResponse<String> malformed = cluster.node(0).send(HttpRequest.newBuilder(
        URI.create(cluster.node(0).httpUrl() + "/api/v1/nodes/-bad-/drain"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(400, malformed.statusCode());
    assertEquals("{\"error\":\"'-bad-' is not a node id; node ids are 1-63 letters, digits and"
        + " '-', not starting or ending with '-'\"}", malformed.body());

    HttpResponse<String> drainUnknown = cluster.node(0).send(HttpRequest.newBuilder(
        URI.create(cluster.node(0).httpUrl() + "/api/v1/nodes/n9/drain"))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(404, drainUnknown.statusCode());
  }

  @Test
  void coordinatorIsTheOldestMemberAndMovesWhenItGoes() {
    String coordinator = cluster.node(1).getJson("/api/v1/cluster").get("coordinator").asText();
    for (TestNode node : cluster.nodes()) {
      assertEquals(coordinator, node.getJson("/api/v1/cluster").get("coordinator").asText());
    }
    TestNode old = byId(coordinator);
    old.kill();
    cluster.awaitClusterSize(2);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (TestNode node : cluster.running()) {
        String now = node.getJson("/api/v1/cluster").get("coordinator").asText();
        assertNotEquals(coordinator, now);
        assertEquals(cluster.running().get(0).getJson("/api/v1/cluster").get("coordinator")
            .asText(), now);
      }
    });
    old.restart();
    cluster.awaitClusterSize(3);
    assertEquals("ACTIVE", cluster.node(0).getJson("/api/v1/nodes/" + old.id()).get("status")
        .asText());
  }

  private static TestNode byId(String id) {
    return cluster.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }
}

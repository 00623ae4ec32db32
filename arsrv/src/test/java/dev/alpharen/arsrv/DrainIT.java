package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.HttpLoad;
import dev.alpharen.arsrv.testing.NodeProcess;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes join and leave a cluster under continuous load with no failed request; the joins, leaves
 * and drains are recorded as activities.
 */
class DrainIT {
  @TempDir
  Path work;

  @Test
  void addAndDrainNodesUnderLoadWithNoFailedRequest() throws Exception {
    try (TestCluster cluster = TestCluster.start(3, "node.drainGrace=1s");
        HttpLoad load = HttpLoad.start(cluster::nodes, "/api/v1/cluster", 4,
            Duration.ofMinutes(3))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.nodes().stream()
          .allMatch(n -> load.successes(n.id()) > 0));

      TestNode fourth = cluster.addNode().start().awaitReady();
      cluster.awaitClusterSize(4);
      await("the coordinator recorded the join").atMost(Duration.ofSeconds(30)).until(() ->
          recordedByCoordinator(cluster.node(0), "member.joined").contains(fourth.id()));
      await("the new node takes traffic").atMost(Duration.ofSeconds(10))
          .until(() -> load.successes(fourth.id()) > 0);

      TestNode drained = cluster.node(1);
      HttpResponse<String> accepted = drain(cluster.node(0), drained.id());
      assertEquals(202, accepted.statusCode(), accepted.body());
      assertTrue(accepted.body().contains("\"status\":\"DRAINING\""), accepted.body());
      assertEquals(0, drained.awaitExit(Duration.ofSeconds(30)), "a drained node exits with 0");
      cluster.awaitClusterSize(3);
      await("the coordinator recorded the leave").atMost(Duration.ofSeconds(30)).until(() ->
          recordedByCoordinator(cluster.node(0), "member.left").contains(drained.id()));
      long servedAfter = load.totalSuccesses();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.totalSuccesses() > servedAfter + 50);

      load.close();
      assertEquals(java.util.List.of(), load.failures(), "failed requests");
      assertTrue(load.successes(drained.id()) > 0);
    }
  }

  @Test
  void cliDrainsANodeAndTheLastActiveNodeIsRefused() throws Exception {
    try (TestCluster cluster = TestCluster.start(2, "node.drainGrace=0s")) {
      TestNode keeper = cluster.node(0);
      Path log = work.resolve("drain.log");
      Process cli = NodeProcess.start(work, log,
          Map.of("ALPHAREN_SECURITY_ADMINPASSWORD", TestNode.ADMIN_PASSWORD),
          "drain", "n2", "--url", keeper.httpUrl());
      assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, cli.exitValue(), Files.readString(log));
      assertTrue(Files.readString(log).contains("node n2 is draining"), Files.readString(log));
      assertEquals(0, cluster.node(1).awaitExit(Duration.ofSeconds(30)));
      cluster.awaitClusterSize(1);

      HttpResponse<String> refused = drain(keeper, "n1");
      assertEquals(409, refused.statusCode());
      assertEquals("{\"error\":\"node n1 is the last ACTIVE node of cluster '" + cluster.name()
          + "'; draining it would leave no node to take work\"}", refused.body());
      assertEquals(200, keeper.get("/health/ready").statusCode(), "a refused drain changes nothing");

      Process refusedCli = NodeProcess.start(work, work.resolve("refused.log"),
          Map.of("ALPHAREN_SECURITY_ADMINPASSWORD", TestNode.ADMIN_PASSWORD),
          "drain", "n1", "--url", keeper.httpUrl());
      assertTrue(refusedCli.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, refusedCli.exitValue());
      assertTrue(Files.readString(work.resolve("refused.log")).contains("drain n1 refused (409)"));

      // the drained node's journal kept its drain: back in the cluster, it answers for it
      TestNode drained = cluster.node(1).start().awaitReady();
      JsonNode draining = keeper.getJson("/api/v1/activities?type=node.draining&node="
          + drained.id()).get("activities");
      assertEquals(1, draining.size(), draining.toString());
      assertEquals("node n2 is draining: handing over its work before it stops",
          draining.get(0).get("message").asText());
      assertEquals(1, keeper.getJson("/api/v1/activities?type=node.stopped&node=" + drained.id())
          .get("activities").size(), "and its stop after the drain");
    }
  }

  /**
   * The members named by the activities of {@code type} that the coordinator now recorded (the one
   * that saw the change: a drained coordinator's successor records its leave).
   */
  static Set<String> recordedByCoordinator(TestNode via, String type) {
    String coordinator = via.getJson("/api/v1/cluster").get("coordinator").asText();
    Set<String> members = new HashSet<>();
    via.getJson("/api/v1/activities?type=" + type + "&node=" + coordinator).path("activities")
        .forEach(a -> members.add(a.at("/details/member").asText()));
    return members;
  }

  private static HttpResponse<String> drain(TestNode via, String id) {
    return via.send(HttpRequest.newBuilder(URI.create(via.httpUrl() + "/api/v1/nodes/" + id
        + "/drain")).POST(HttpRequest.BodyPublishers.noBody()));
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arsrv.testing.HttpLoad;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ARDPX on real node processes under continuous GET load through one node's proxy: a node killed
 * with SIGKILL, a drained node and a joining node cost no failed request.
 */
class ProxyIT {
  @Test
  void killDrainAndJoinUnderLoadWithNoFailedRequest() {
    try (TestCluster cluster = TestCluster.start(3, "node.drainGrace=1s");
        HttpLoad load = HttpLoad.through(proxyUrl(cluster.node(0)), "/health/live", 6,
            Duration.ofMinutes(3))) {
      await("every node serves through the proxy").atMost(Duration.ofSeconds(20))
          .until(() -> cluster.nodes().stream().allMatch(n -> load.successes(n.id()) > 0));

      cluster.node(1).kill();
      cluster.awaitClusterSize(2);
      long afterKill = load.totalSuccesses();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.totalSuccesses() > afterKill + 200);

      TestNode fourth = cluster.addNode().start().awaitReady();
      cluster.awaitClusterSize(3);
      await("the new node takes traffic").atMost(Duration.ofSeconds(10))
          .until(() -> load.successes(fourth.id()) > 0);

      TestNode drained = cluster.node(2);
      HttpResponse<String> accepted = cluster.node(0).send(HttpRequest.newBuilder(URI.create(
          cluster.node(0).httpUrl() + "/api/v1/nodes/" + drained.id() + "/drain"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(202, accepted.statusCode(), accepted.body());
      assertEquals(0, drained.awaitExit(Duration.ofSeconds(30)));
      long afterDrain = load.totalSuccesses();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.totalSuccesses() > afterDrain + 200);

      load.close();
      assertEquals(List.of(), load.failures(), "failed requests through the proxy");
    }
  }

  private static String proxyUrl(TestNode node) {
    return "http://127.0.0.1:" + node.getJson("/api/v1/nodes/" + node.id()).get("ports")
        .get("proxy").asInt();
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arclst.testing.TcpRelay;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RTT measurement and nearest-first ordering on real node processes: the path to one node goes
 * through a TCP relay that adds 30 ms of round trip; it is measured within ±20 % (+2 ms) and
 * ordered last, and moves back when the delay is removed.
 */
class RttOrderingIT {
  private static final double ADDED_MS = 30;

  @Test
  void aDistantNodeIsMeasuredAndOrderedLastUntilItComesNear() throws IOException {
    int far = freePort();
    try (TcpRelay relay = TcpRelay.start(new InetSocketAddress("127.0.0.1", far));
        TestCluster cluster = TestCluster.create(3)) {
      relay.delay(Duration.ofMillis(15)); // each way: +30 ms round trip
      cluster.node(2).set("http.port=" + far, "http.advertise=127.0.0.1:" + relay.port());
      cluster.nodes().forEach(TestNode::start);
      cluster.nodes().forEach(TestNode::awaitReady);
      cluster.awaitClusterSize(3);
      TestNode near = cluster.node(0);

      await("n1 measures n3 through the relay").atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> {
            JsonNode rtt = near.getJson("/api/v1/rtt");
            JsonNode row = rtt.path("rtt").path("n1");
            assertTrue(row.has("n2") && row.has("n3"), "n1's row is published: " + rtt);
            double toFar = row.get("n3").asDouble();
            double toNear = row.get("n2").asDouble();
            double truth = toNear + ADDED_MS;
            assertTrue(Math.abs(toFar - truth) <= truth * 0.2 + 2,
                "n1→n3 " + toFar + " ms, expected " + truth + " ms ± 20 % + 2 ms");
            assertEquals("n3", last(rtt), "nearest first: " + rtt.get("nearestFirst"));
          });
      await("every node shares its row").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        JsonNode seenOnFar = cluster.node(2).getJson("/api/v1/rtt").get("rtt");
        for (String node : List.of("n1", "n2", "n3")) {
          assertTrue(seenOnFar.has(node), node + "'s row on n3: " + seenOnFar);
        }
      });

      relay.delay(Duration.ZERO);
      await("n3 comes near again").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        JsonNode rtt = near.getJson("/api/v1/rtt");
        JsonNode row = rtt.path("rtt").path("n1");
        assertTrue(row.path("n3").asDouble(99) < row.path("n2").asDouble(0) + ADDED_MS / 3,
            "the added 30 ms are gone: " + rtt);
        assertTrue(!last(rtt).equals("n3"), "n3 no longer last: " + rtt.get("nearestFirst"));
      });
    }
  }

  private static String last(JsonNode rtt) {
    List<String> order = new ArrayList<>();
    rtt.get("nearestFirst").forEach(n -> order.add(n.asText()));
    return order.get(order.size() - 1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

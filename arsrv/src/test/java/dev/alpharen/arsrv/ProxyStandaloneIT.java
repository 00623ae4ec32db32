package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arsrv.testing.HttpLoad;
import dev.alpharen.arsrv.testing.NodeProcess;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code alpha-ren proxy --join}: a standalone ARDPX process in front of two node processes. It
 * joins as a lite member, is no backend and no member of the node directory, a drained node
 * costs no failed request through it, and its own health and meters are on its admin port.
 */
class ProxyStandaloneIT {
  @Test
  void aStandaloneProxyServesThroughTheNodesWithoutBeingOne() throws Exception {
    try (TestCluster cluster = TestCluster.start(2, "node.drainGrace=1s")) {
      int port = freePort();
      int adminPort = freePort();
      Path dir = Path.of("target", "it-nodes", cluster.name(), "edge").toAbsolutePath();
      Path log = dir.resolve("edge.log");
      Process proxy = NodeProcess.start(dir, log, Map.of(), "proxy",
          "--join", "127.0.0.1:" + cluster.node(0).clusterPort(),
          "--set", "node.id=edge", "--set", "node.dataDir=" + dir.resolve("data"),
          "--set", "cluster.name=" + cluster.name(), "--set", "cluster.port=0",
          "--set", "proxy.port=" + port, "--set", "http.port=" + adminPort,
          "--set", "proxy.accessLog=false");
      String admin = "http://127.0.0.1:" + adminPort;
      try {
        await("the standalone proxy serves through both nodes (log: " + log + ")")
            .atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> Files.readString(log).contains("standalone proxy edge joined"));
        try (HttpLoad load = HttpLoad.through("http://127.0.0.1:" + port, "/health/live", 4,
            Duration.ofMinutes(2))) {
          await("both nodes answer through the proxy").atMost(Duration.ofSeconds(20))
              .until(() -> cluster.nodes().stream().allMatch(n -> load.successes(n.id()) > 0));
          assertEquals(Set.of("n1", "n2"), Set.copyOf(cluster.node(0).memberIds()),
              "the proxy must not be listed as a node");

          TestNode drained = cluster.node(1);
          // A drain needs the node ACTIVE in the asking node's view (not merely rejoined).
          await("n2 ACTIVE on n1").atMost(Duration.ofSeconds(30)).until(() -> "ACTIVE".equals(
              cluster.node(0).getJson("/api/v1/nodes/n2").get("status").asText()));
          HttpResponse<String> accepted = cluster.node(0).send(HttpRequest.newBuilder(URI.create(
              cluster.node(0).httpUrl() + "/api/v1/nodes/" + drained.id() + "/drain"))
              .POST(HttpRequest.BodyPublishers.noBody()));
          assertEquals(202, accepted.statusCode(), accepted.body());
          assertEquals(0, drained.awaitExit(Duration.ofSeconds(30)));
          long afterDrain = load.totalSuccesses();
          await().atMost(Duration.ofSeconds(10))
              .until(() -> load.totalSuccesses() > afterDrain + 100);

          load.close();
          assertEquals(List.of(), load.failures(), "failed requests through the proxy");
          assertEquals(0, load.successes("edge"), "the proxy answered a request itself");

          assertEquals(200, get(admin + "/health/live").statusCode());
          HttpResponse<String> ready = get(admin + "/health/ready");
          assertEquals(200, ready.statusCode(), "n1 is still ready: " + ready.body());
          HttpResponse<String> metrics = get(admin + "/metrics");
          assertEquals(200, metrics.statusCode());
          for (String node : List.of("n1", "n2")) {
            assertTrue(served(metrics.body(), node) > 0,
                "no requests counted for " + node + " in:\n" + metrics.body());
          }
          assertEquals(load.successes("n1"), served(metrics.body(), "n1"), 0.0,
              "/metrics counts what the clients got from n1");
          assertEquals(404, get(admin + "/api/v1/cluster").statusCode());
        }
      } finally {
        proxy.destroyForcibly().waitFor();
      }
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The count of requests {@code node} answered 2xx through the proxy, from /metrics text. */
  private static double served(String metrics, String node) {
    return metrics.lines()
        .filter(l -> l.startsWith("ardpx_requests_seconds_count{") && l.contains("backend=\""
            + node + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}

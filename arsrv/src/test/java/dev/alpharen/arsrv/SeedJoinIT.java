package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arsrv.testing.TestCluster;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A node whose seeds do not answer yet waits, not ready, and joins when one does. */
class SeedJoinIT {
  @Test
  void secondNodeStartedFirstWaitsNotReadyThenJoins() {
    try (TestCluster cluster = TestCluster.create(2)) {
      var second = cluster.node(1).start().awaitStarted();
      await("not ready while alone").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        HttpResponse<String> ready = second.get("/health/ready");
        assertEquals(503, ready.statusCode());
        assertTrue(ready.body().contains("running alone: none of the seeds 127.0.0.1:"
            + cluster.node(0).clusterPort() + " has answered as a member of cluster '"
            + cluster.name() + "' yet"), ready.body());
      });
      assertEquals(List.of("n2"), second.memberIds());

      cluster.node(0).start().awaitReady();
      second.awaitReady();
      cluster.awaitClusterSize(2);
      assertEquals(Set.of("n1", "n2"), new TreeSet<>(second.memberIds()));
    }
  }
}

package dev.alpharen.arsrv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three real node processes form one cluster and heal after one is killed and restarted. */
class ClusterFormationIT {
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
  void everyNodeListsAllThreeMembersWithTheirAddresses() {
    for (TestNode node : cluster.nodes()) {
      JsonNode body = node.getJson("/api/v1/cluster");
      assertEquals(cluster.name(), body.get("name").asText());
      assertEquals(Set.of("n1", "n2", "n3"), ids(node));
      for (JsonNode m : body.get("members")) {
        TestNode member = cluster.nodes().stream()
            .filter(n -> n.id().equals(m.get("id").asText())).findFirst().orElseThrow();
        assertEquals(member.httpUrl(), m.get("http").asText(), "http of " + member.id());
        assertEquals("127.0.0.1:" + member.clusterPort(), m.get("address").asText());
        assertEquals(member == node, m.get("local").asBoolean(), "local flag of " + member.id());
      }
      assertEquals(body.get("members").get(0).get("id").asText(),
          body.get("coordinator").asText(), "the oldest member coordinates");
    }
  }

  @Test
  void killedNodeIsDroppedAndRejoinsAfterRestart() {
    TestNode victim = cluster.node(1);
    victim.kill();
    cluster.awaitClusterSize(2);
    assertEquals(Set.of("n1", "n3"), ids(cluster.node(0)));
    assertEquals(Set.of("n1", "n3"), ids(cluster.node(2)));

    victim.restart();
    cluster.awaitClusterSize(3);
    for (TestNode node : cluster.nodes()) {
      assertEquals(Set.of("n1", "n2", "n3"), ids(node), "members seen by " + node.id());
    }
  }

  private static Set<String> ids(TestNode node) {
    List<String> ids = node.memberIds();
    assertEquals(ids.size(), new TreeSet<>(ids).size(), "no member listed twice: " + ids);
    return new TreeSet<>(ids);
  }
}

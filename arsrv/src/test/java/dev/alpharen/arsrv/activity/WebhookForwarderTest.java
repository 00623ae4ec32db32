package dev.alpharen.arsrv.activity;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink behind a forwarder, against a real HTTP server on loopback that goes away and
 * comes back: nothing recorded meanwhile is lost, and the outage shows in the sink's status.
 */
class WebhookForwarderTest {
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
  void retriesThroughAnOutageAndLosesNothing() throws Exception {
    int port = startServer(0);
    ActivityFile file = ActivityFile.open(new ActivityFile.Settings(dir, 1 << 20, 10,
        Duration.ofDays(1)), Clock.systemUTC());
    try (ActivityJournal journal = new ActivityJournal(file, "c1", "n1", 4096,
        Duration.ofMillis(5), Clock.systemUTC());
        Forwarder forwarder = new Forwarder(new WebhookSink(
            URI.create("http://127.0.0.1:" + port + "/hook"), Duration.ofSeconds(2)),
            List.of(new Rule("webhook", Set.of(), Severity.WARNING, 0)), file, dir,
            Clock.systemUTC(), System::nanoTime).start()) {
      journal.onWritten(forwarder::wakeUp);
      record(journal, 0, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> ids().size() == 5);

      server.stop(0);
      record(journal, 5, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> !forwarder.status().up());
      assertFalse(forwarder.status().error().isEmpty());
      assertEquals("down", forwarder.details().get("state"));

      startServer(port);
      // a batch whose answer the outage cut off comes again: wait for every id, not a count
      await().atMost(Duration.ofSeconds(30)).until(() -> ids().stream().distinct().count() >= 10);

      assertEquals(IntStream.range(0, 10).mapToObj(i -> "a" + i).toList(),
          ids().stream().distinct().toList());
      await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.status().up());
      assertEquals(0L, forwarder.behindBytes());
    }
  }

  @Test
  void keepsOnlyWhatTheRulesLetThroughAndLimitsTheRate() throws Exception {
    ManualNanos nanos = new ManualNanos();
    ActivityFile file = ActivityFile.open(new ActivityFile.Settings(dir, 1 << 20, 10,
        Duration.ofDays(1)), Clock.systemUTC());
    List<List<Activity>> sent = new CopyOnWriteArrayList<>();
    ActivitySink sink = new ActivitySink() {
      @Override
      public String name() {
        return "webhook";
      }

      @Override
      public void send(List<Activity> batch) {
        sent.add(batch);
      }
    };
    try (ActivityJournal journal = new ActivityJournal(file, "c1", "n1", 4096,
        Duration.ofMillis(5), Clock.systemUTC())) {
      Forwarder forwarder = new Forwarder(sink, List.of(new Rule("webhook",
          Set.of(ActivityType.EXCHANGE_FAILED), Severity.ERROR, 2)), file, dir,
          Clock.systemUTC(), nanos);
      for (int i = 0; i < 4; i++) {
        durable(journal, ActivityType.EXCHANGE_FAILED, Severity.ERROR, "f" + i);
      }
      durable(journal, ActivityType.EXCHANGE_COMPLETED, Severity.ERROR, "other type");
      durable(journal, ActivityType.EXCHANGE_FAILED, Severity.WARNING, "too mild");

      while (forwarder.runOnce()) {
        // forward everything written
      }
      nanos.now += Duration.ofSeconds(30).toNanos(); // one more token
      durable(journal, ActivityType.EXCHANGE_FAILED, Severity.ERROR, "f4");
      while (forwarder.runOnce()) {
        // forward everything written
      }

      assertEquals(List.of("f0", "f1", "f4"), sent.stream().flatMap(List::stream)
          .map(Activity::message).toList());
      assertEquals(2L, forwarder.details().get("suppressedByRateLimit"));
    }
  }

  @Test
  void resumesFromItsCursorAfterARestart() throws Exception {
    ActivityFile file = ActivityFile.open(new ActivityFile.Settings(dir, 1 << 20, 10,
        Duration.ofDays(1)), Clock.systemUTC());
    List<String> sent = new CopyOnWriteArrayList<>();
    ActivitySink sink = new ActivitySink() {
      @Override
      public String name() {
        return "jdbc";
      }

      @Override
      public void send(List<Activity> batch) {
        batch.forEach(a -> sent.add(a.message()));
      }
    };
    List<Rule> all = List.of(new Rule("jdbc", Set.of(), Severity.DEBUG, 0));
    try (ActivityJournal journal = new ActivityJournal(file, "c1", "n1", 4096,
        Duration.ofMillis(5), Clock.systemUTC())) {
      durable(journal, ActivityType.NODE_STARTED, Severity.INFO, "before the sink existed");
      new Forwarder(sink, all, file, dir, Clock.systemUTC(), System::nanoTime);
      durable(journal, ActivityType.NODE_READY, Severity.INFO, "one");
      // the node stops before that forwarder ran: the next one still sends what came after it
      Forwarder second = new Forwarder(sink, all, file, dir, Clock.systemUTC(), System::nanoTime);
      while (second.runOnce()) {
        // forward
      }
      durable(journal, ActivityType.NODE_STOPPED, Severity.INFO, "two");
      Forwarder third = new Forwarder(sink, all, file, dir, Clock.systemUTC(), System::nanoTime);
      while (third.runOnce()) {
        // forward
      }
    }
    assertEquals(List.of("one", "two"), sent);
  }

  private static void durable(ActivityJournal journal, ActivityType type, Severity severity,
      String message) throws InterruptedException {
    assertTrue(journal.recordDurably(type, severity, ActivityRecorder.Scope.NONE, message,
        Map.of(), Duration.ofSeconds(10)));
  }

  private void record(ActivityJournal journal, int from, int count) {
    for (int i = from; i < from + count; i++) {
      journal.record(ActivityType.EXCHANGE_FAILED, Severity.ERROR,
          new ActivityRecorder.Scope("orders", "ex-" + i, ""), "a" + i, Map.of());
    }
  }

  /** The messages received, in order (the test uses them as ids). */
  private List<String> ids() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (String body : received) {
      for (JsonNode a : JSON.readTree(body).path("activities")) {
        ids.add(a.path("message").asText());
      }
    }
    return ids;
  }

  private int startServer(int port) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/hook", exchange -> {
      received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private static final class ManualNanos implements java.util.function.LongSupplier {
    long now = 1_000_000_000L;

    @Override
    public long getAsLong() {
      return now;
    }
  }
}

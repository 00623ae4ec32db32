package dev.alpharen.arsrv.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alpharen.arwadm.IntegrationRejectedException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecParserTest {
  private static final String ROUTE = "- from:\n    uri: timer:t\n    steps:\n      - log: x\n";
  private final SpecParser parser = new SpecParser();

  @Test
  void usesDefaultsWithoutMetadata() throws Exception {
    IntegrationSpec spec = parser.parse("plain", ROUTE, Map.of());

    assertEquals(Mode.ACTIVE_ACTIVE, spec.mode());
    assertEquals(Mode.SINGLETON, spec.pollers());
    assertEquals(RetryPolicy.defaults(), spec.retry());
    assertEquals(Mode.SINGLETON, spec.modeOf(true));
    assertEquals(Mode.ACTIVE_ACTIVE, spec.modeOf(false));
  }

  @Test
  void readsLeadingCommentsAndLetsQueryParametersWin() throws Exception {
    String doc = "# a comment\n# alpharen.mode: singleton\n# alpharen.retry.maxAttempts: 5\n"
        + "#alpharen.retry.initialDelay: 200ms\n# alpharen.description: nightly sync\n" + ROUTE;

    IntegrationSpec spec = parser.parse("sync", doc, Map.of("retry.maxAttempts", "7"));

    assertEquals(Mode.SINGLETON, spec.mode());
    assertEquals(7, spec.retry().maxAttempts());
    assertEquals(Duration.ofMillis(200), spec.retry().initialDelay());
    assertEquals("nightly sync", spec.description());
    assertEquals(spec, IntegrationSpec.fromJson("sync", spec.toJson()), "the envelope round-trips");
  }

  @Test
  void readsQueueBoundsAndRefusesBadOnes() throws Exception {
    IntegrationSpec spec = parser.parse("q", "# alpharen.queue.maxMessages: 500\n"
        + "# alpharen.queue.maxBytes: 64MB\n# alpharen.queue.fullPolicy: fail\n" + ROUTE, Map.of());

    assertEquals(new QueuePolicy(500, 64L << 20, "FAIL"), spec.queue());
    assertEquals(spec, IntegrationSpec.fromJson("q", spec.toJson()), "the envelope round-trips");
    assertEquals(QueuePolicy.DEFAULTS, parser.parse("d", ROUTE, Map.of()).queue());

    IntegrationRejectedException policy = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", "# alpharen.queue.fullPolicy: drop\n" + ROUTE, Map.of()));
    assertEquals("queue.fullPolicy must be one of BLOCK, FAIL, was 'DROP'", policy.getMessage());
    assertEquals(1, policy.line());
    IntegrationRejectedException size = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", ROUTE, Map.of("queue.maxBytes", "lots")));
    assertEquals("queue.maxBytes must be a number of bytes such as 1048576, 512KB, 64MB or 1GB,"
        + " was 'lots'", size.getMessage());
  }

  @Test
  void findsTheQueuesADocumentNamesInJmsAndAmqpUris() {
    String doc = """
        # - to: jms:queue:commented
        - route:
            from:
              uri: jms:queue:orders.in?concurrentConsumers=2
              steps:
                - to: jms:audit
                - to: jms:topic:news
                - toD: jms:queue:orders-${header.region}
                - to:
                    uri: jms:queue:orders.out
                - to: amqp:queue:orders.amqp?exchangePattern=InOnly
                - to: amqp:shipments
                - to: amqp:topic:prices
        """;

    assertEquals(java.util.List.of("orders.in", "audit", "orders.out", "orders.amqp",
        "shipments"),
        java.util.List.copyOf(QueuePolicy.queuesOf(doc)));
  }

  @Test
  void ignoresMetadataCommentsAfterTheFirstYamlLine() throws Exception {
    IntegrationSpec spec = parser.parse("late", ROUTE + "# alpharen.mode: singleton\n", Map.of());

    assertEquals(Mode.ACTIVE_ACTIVE, spec.mode());
  }

  @Test
  void refusesUnknownKeyWithItsLine() {
    IntegrationRejectedException e = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", "# ok\n# alpharen.mdoe: singleton\n" + ROUTE, Map.of()));

    assertEquals("unknown integration option 'mdoe'; allowed: " + SpecParser.KEYS, e.getMessage());
    assertEquals(2, e.line());
    assertEquals(1, e.column());
  }

  @Test
  void readsTheCaptureOfExchangesAndRefusesAnUnknownOne() throws Exception {
    assertEquals("all", parser.parse("x", "# alpharen.capture: all\n" + ROUTE, Map.of())
        .capture());
    assertEquals("", parser.parse("x", ROUTE, Map.of()).capture());
    IntegrationRejectedException e = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", "# alpharen.capture: some\n" + ROUTE, Map.of()));
    assertEquals("capture must be one of off, failures, all, was 'some'", e.getMessage());
    assertEquals(1, e.line());
  }

  @Test
  void refusesBadValuesNamingTheRule() {
    IntegrationRejectedException mode = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", ROUTE, Map.of("mode", "both")));
    assertEquals("mode must be one of active-active, singleton, was 'both'", mode.getMessage());
    assertEquals(0, mode.line(), "a query parameter has no line");

    IntegrationRejectedException jitter = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", "# alpharen.retry.jitter: 2\n" + ROUTE, Map.of()));
    assertEquals("retry.jitter must be from 0.0 to 1.0, was 2.0", jitter.getMessage());
    assertEquals(1, jitter.line());

    IntegrationRejectedException delay = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", ROUTE, Map.of("retry.initialDelay", "soon")));
    assertEquals("retry.initialDelay must be a duration such as 500ms, 30s, 5m or 1h, was 'soon'",
        delay.getMessage());
  }

  @Test
  void refusesBadNamesAndEmptyDocuments() {
    assertEquals("integration name must be 1-63 of a-z, 0-9 and '-', not starting or ending"
        + " with '-', was 'Bad_Name'", assertThrows(IntegrationRejectedException.class,
            () -> parser.parse("Bad_Name", ROUTE, Map.of())).getMessage());
    IntegrationRejectedException empty = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("empty", "  \n", Map.of()));
    assertEquals(1, empty.line());
  }

  @Test
  void retryDelaysGrowToTheirCap() {
    RetryPolicy retry = new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(3), 0);

    assertEquals(Duration.ofSeconds(1), retry.delayBefore(1));
    assertEquals(Duration.ofSeconds(2), retry.delayBefore(2));
    assertEquals(Duration.ofSeconds(3), retry.delayBefore(3));
    assertEquals("retry.maxDelay must be from retry.initialDelay (1000 ms) to 1h, was 500 ms",
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2,
            Duration.ofSeconds(1), 2.0, Duration.ofMillis(500), 0)).getMessage());
  }

  @Test
  void readsDurableRetriesAndRefusesOutOfRange() throws Exception {
    String doc = "# alpharen.retry.durableAttempts: 20\n# alpharen.retry.durableInitialDelay: 1s\n"
        + "# alpharen.retry.durableMaxDelay: 4s\n" + ROUTE;

    IntegrationSpec spec = parser.parse("durable", doc, Map.of());

    assertEquals(new RetryPolicy.Durable(20, Duration.ofSeconds(1), Duration.ofSeconds(4)),
        spec.retry().durable());
    assertEquals(spec, IntegrationSpec.fromJson("durable", spec.toJson()), "the envelope keeps it");
    IntegrationRejectedException delay = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", "# x\n# alpharen.retry.durableInitialDelay: 10ms\n" + ROUTE,
            Map.of()));
    assertEquals("retry.durableInitialDelay must be from 100ms to 1h, was 10 ms",
        delay.getMessage());
    assertEquals(2, delay.line());
    IntegrationRejectedException attempts = assertThrows(IntegrationRejectedException.class,
        () -> parser.parse("x", ROUTE, Map.of("retry.durableAttempts", "1001")));
    assertEquals("retry.durableAttempts must be 0 (dead letter at once) to 1000, was 1001",
        attempts.getMessage());
  }

  @Test
  void readsEnvelopesStoredBeforeDurableRetriesWithTheDefaults() {
    String old = "{\"mode\":\"active-active\",\"pollers\":\"singleton\",\"description\":\"\","
        + "\"retry\":{\"maxAttempts\":3,\"initialDelayMs\":1000,\"multiplier\":2.0,"
        + "\"maxDelayMs\":30000,\"jitter\":0.15},\"document\":\"- from: x\"}";

    assertEquals(RetryPolicy.defaults(), IntegrationSpec.fromJson("old", old).retry());
  }

  @Test
  void durableDelaysGrowToTheirCapAndJitterStaysInItsBand() {
    RetryPolicy retry = new RetryPolicy(2, Duration.ZERO, 2.0, Duration.ZERO, 0.2,
        new RetryPolicy.Durable(5, Duration.ofSeconds(10), Duration.ofSeconds(30)));

    assertEquals(Duration.ofSeconds(10), retry.durableDelayBefore(1));
    assertEquals(Duration.ofSeconds(20), retry.durableDelayBefore(2));
    assertEquals(Duration.ofSeconds(30), retry.durableDelayBefore(3));
    assertEquals(Duration.ofSeconds(8), retry.jittered(Duration.ofSeconds(10), 0.0));
    assertEquals(Duration.ofSeconds(10), retry.jittered(Duration.ofSeconds(10), 0.5));
    assertEquals(Duration.ofSeconds(11), retry.jittered(Duration.ofSeconds(10), 0.75));
  }
}

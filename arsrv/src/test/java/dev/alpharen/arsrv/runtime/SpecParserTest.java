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
}

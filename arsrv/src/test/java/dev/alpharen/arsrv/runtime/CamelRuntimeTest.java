package dev.alpharen.arsrv.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.ClusterVariables;
import dev.alpharen.arclst.testing.TestMembers;
import dev.alpharen.arwadm.IntegrationRejectedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Camel runtime on real Camel and two real Hazelcast members: validation errors name what and
 * where, retry policies apply, and variables and idempotent keys are shared by the nodes.
 */
class CamelRuntimeTest {
  private static TestMembers members;

  private final List<Exchange> deadLetters = new CopyOnWriteArrayList<>();
  private final List<CamelRuntime> runtimes = new CopyOnWriteArrayList<>();
  private final SpecParser parser = new SpecParser();

  @BeforeAll
  static void startMembers() {
    members = TestMembers.start(2);
  }

  @AfterAll
  static void stopMembers() {
    members.close();
  }

  @AfterEach
  void stopRuntimes() {
    runtimes.forEach(CamelRuntime::close);
  }

  private CamelRuntime runtime(int member) {
    CamelRuntime runtime = new CamelRuntime(members.get(member), "node" + member,
        new HttpRouter(), new SimpleMeterRegistry(), () -> true,
        (integration, routeId, exchange, cause) -> deadLetters.add(exchange));
    runtimes.add(runtime);
    return runtime;
  }

  private IntegrationSpec spec(String name, String yaml, Map<String, String> options)
      throws IntegrationRejectedException {
    return parser.parse(name, yaml, options);
  }

  @Test
  void refusesAnUnknownComponentNamingItAndItsPlace() throws Exception {
    IntegrationSpec spec = spec("bad", """
        - from:
            uri: direct:in
            steps:
              - to: nosuchthing:out
        """, Map.of());

    IntegrationRejectedException e = assertThrows(IntegrationRejectedException.class,
        () -> runtime(0).validate(spec));

    assertEquals("unknown component 'nosuchthing' in endpoint 'nosuchthing:out': no Camel"
        + " component of that name is on this node's classpath", e.getMessage());
    assertEquals(4, e.line());
    assertEquals(13, e.column());
  }

  @Test
  void refusesMisspelledEndpointOptionsReservedPathsAndDuplicateIds() throws Exception {
    CamelRuntime runtime = runtime(0);
    IntegrationRejectedException option = assertThrows(IntegrationRejectedException.class,
        () -> runtime.validate(spec("opt", "- from:\n    uri: timer:t?perod=5\n    steps:\n"
            + "      - log: x\n", Map.of())));
    assertTrue(option.getMessage().startsWith("endpoint 'timer:t?perod=5': There are 1"
        + " parameters that couldn't be set"), option.getMessage());
    assertEquals(2, option.line());

    IntegrationRejectedException reserved = assertThrows(IntegrationRejectedException.class,
        () -> runtime.validate(spec("res", "- from:\n    uri: platform-http:/api/v1/x\n"
            + "    steps:\n      - log: x\n", Map.of())));
    assertEquals("platform-http path '/api/v1/x' is reserved for the node (/api, /health, /arhav,"
        + " /metrics, /console); choose another path", reserved.getMessage());

    IntegrationRejectedException twice = assertThrows(IntegrationRejectedException.class,
        () -> runtime.validate(spec("dup", """
            - route:
                id: same
                from: {uri: "direct:a", steps: [{log: a}]}
            - route:
                id: same
                from: {uri: "direct:b", steps: [{log: b}]}
            """, Map.of())));
    assertEquals("route id 'same' is used twice in integration dup", twice.getMessage());
  }

  @Test
  void retriesAFailingStepAsTheIntegrationSaysThenHandsItToTheDeadLetterSink()
      throws Exception {
    CamelRuntime runtime = runtime(0);
    IntegrationSpec spec = spec("flaky", """
        - from:
            uri: direct:flaky
            steps:
              - throwException:
                  exceptionType: java.lang.IllegalStateException
                  message: target down
        """, Map.of("retry.maxAttempts", "3", "retry.initialDelay", "10ms",
        "retry.multiplier", "1", "retry.jitter", "0"));
    runtime.validate(spec);
    runtime.add(spec);
    ProducerTemplate producer = runtime.camelContext().createProducerTemplate();

    Exchange result = producer.send("direct:flaky", e -> e.getIn().setBody("x"));

    assertEquals("target down", result.getException().getMessage());
    assertEquals(2, result.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class),
        "3 attempts: the first and 2 redeliveries");
    await().atMost(Duration.ofSeconds(5)).until(() -> deadLetters.size() == 1);
  }

  @Test
  void waitsBetweenRetriesAsThePolicySaysGrowingToItsCap() throws Exception {
    CamelRuntime runtime = runtime(0);
    List<Long> attemptsAt = new CopyOnWriteArrayList<>();
    runtime.camelContext().getRegistry().bind("failsAndCounts", (org.apache.camel.Processor) e -> {
      attemptsAt.add(System.nanoTime());
      throw new IllegalStateException("target down");
    });
    IntegrationSpec spec = spec("backoff", """
        - from:
            uri: direct:backoff
            steps:
              - process:
                  ref: failsAndCounts
        """, Map.of("retry.maxAttempts", "4", "retry.initialDelay", "40ms",
        "retry.multiplier", "5", "retry.maxDelay", "200ms", "retry.jitter", "0"));
    runtime.add(spec);

    runtime.camelContext().createProducerTemplate().send("direct:backoff", e -> { });

    assertEquals(4, attemptsAt.size(), "4 attempts: the first and 3 retries");
    RetryPolicy policy = spec.retry();
    assertEquals(List.of(40L, 200L, 200L), List.of(policy.delayBefore(1).toMillis(),
        policy.delayBefore(2).toMillis(), policy.delayBefore(3).toMillis()));
    for (int retry = 1; retry <= 3; retry++) {
      long waitedMs = (attemptsAt.get(retry) - attemptsAt.get(retry - 1)) / 1_000_000;
      long expected = policy.delayBefore(retry).toMillis();
      assertTrue(waitedMs >= expected - 2, "retry " + retry + " after " + waitedMs
          + " ms, the policy says " + expected + " ms");
    }
    // uncapped, the third wait would be 1 s (40 ms x 5 x 5)
    long third = (attemptsAt.get(3) - attemptsAt.get(2)) / 1_000_000;
    assertTrue(third < 900, "the third retry waited " + third + " ms, past the 200 ms cap");
  }

  @Test
  void doesNotRetryASendThatAFullQueueRefusedAndCountsItAsRefused() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    CamelRuntime runtime = new CamelRuntime(members.get(0), "node0", new HttpRouter(), meters,
        () -> true, (integration, routeId, exchange, cause) -> deadLetters.add(exchange));
    runtimes.add(runtime);
    IntegrationSpec spec = spec("pushed-back", """
        - from:
            uri: direct:pushed-back
            steps:
              - throwException:
                  exceptionType: jakarta.jms.ResourceAllocationException
                  message: queue orders is full
        """, Map.of("retry.maxAttempts", "3", "retry.initialDelay", "10ms",
        "retry.multiplier", "1", "retry.jitter", "0"));
    runtime.add(spec);
    ProducerTemplate producer = runtime.camelContext().createProducerTemplate();

    Exchange result = producer.send("direct:pushed-back", e -> e.getIn().setBody("x"));

    assertEquals("queue orders is full", result.getException().getMessage());
    assertEquals(0, result.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class),
        "back-pressure goes to the caller at once, without in-memory retries");
    await("the refusal counted").atMost(Duration.ofSeconds(5)).until(() -> meters
        .find(ExchangeOutcomes.METER).tag("integration", "pushed-back").tag("outcome", "refused")
        .timer() != null);
    assertEquals(1, meters.get(ExchangeOutcomes.METER).tag("outcome", "refused").timer().count());
    assertEquals(List.of(), deadLetters, "a refusal is not a failed exchange");
  }

  @Test
  void recordsExchangesAsEachIntegrationsCaptureSays() throws Exception {
    List<String> recorded = new CopyOnWriteArrayList<>();
    CamelRuntime runtime = new CamelRuntime(members.get(0), "node0", new HttpRouter(),
        new SimpleMeterRegistry(), () -> true, (integration, routeId, exchange, cause) -> { },
        (type, severity, scope, message, details) -> recorded.add(scope.integration() + " "
            + type.label() + " " + severity.label() + (scope.exchangeId().isEmpty() ? "" : " ex")),
        dev.alpharen.arsrv.activity.Capture.FAILURES);
    runtimes.add(runtime);
    String ok = "- from: {uri: \"direct:%s\", steps: [{setBody: {constant: ok}}]}\n";
    String failing = "- from: {uri: \"direct:%s\", steps: [{throwException: {exceptionType:"
        + " java.lang.IllegalStateException, message: down}}]}\n";
    runtime.add(spec("all-ok", "# alpharen.capture: all\n" + ok.formatted("allok"), Map.of()));
    runtime.add(spec("dflt-ok", ok.formatted("dfltok"), Map.of()));
    runtime.add(spec("dflt-bad", failing.formatted("dfltbad"), Map.of("retry.maxAttempts", "2",
        "retry.initialDelay", "10ms", "retry.jitter", "0")));
    runtime.add(spec("off-bad", failing.formatted("offbad"), Map.of("capture", "off")));
    ProducerTemplate producer = runtime.camelContext().createProducerTemplate();

    for (String uri : List.of("direct:allok", "direct:dfltok", "direct:dfltbad", "direct:offbad")) {
      producer.send(uri, e -> e.getIn().setBody("x"));
    }

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(List.of(
        "all-ok exchange.received info ex", "all-ok exchange.completed info ex",
        "dflt-bad exchange.retried warning ex", "dflt-bad exchange.failed error ex"),
        recorded));
  }

  @Test
  void sharesVariablesAndIdempotentKeysAcrossNodes() throws Exception {
    String yaml = """
        - route:
            id: remember
            from:
              uri: direct:remember
              steps:
                - setVariable:
                    name: "cluster:greeting"
                    simple: "${body}"
        - route:
            id: recall
            from:
              uri: direct:recall
              steps:
                - setBody:
                    simple: "${variable:cluster:greeting}"
        - route:
            id: once
            from:
              uri: direct:once
              steps:
                - idempotentConsumer:
                    header: id
                    idempotentRepository: clusterIdempotentRepository
                    steps:
                      - to: seda:processed
        """;
    CamelRuntime a = runtime(0);
    CamelRuntime b = runtime(1);
    a.add(spec("shared", yaml, Map.of()));
    b.add(spec("shared", yaml, Map.of()));
    CamelContext contextA = a.camelContext();
    CamelContext contextB = b.camelContext();

    contextA.createProducerTemplate().sendBody("direct:remember", "hello from a");
    assertEquals("hello from a", contextB.createProducerTemplate()
        .requestBody("direct:recall", "", String.class));
    assertEquals("hello from a", new ClusterVariables(members.get(1)).get("greeting")
        .orElseThrow());

    String key = "msg-" + System.nanoTime();
    contextA.createProducerTemplate().sendBodyAndHeader("direct:once", "first", "id", key);
    contextB.createProducerTemplate().sendBodyAndHeader("direct:once", "again", "id", key);
    assertNotNull(contextA.createConsumerTemplate().receive("seda:processed", 2000));
    assertNull(contextB.createConsumerTemplate().receiveNoWait("seda:processed"),
        "a redelivered message is processed once cluster-wide");

    b.add(spec("neighbour", """
        - from:
            uri: direct:onceToo
            steps:
              - idempotentConsumer:
                  header: id
                  idempotentRepository: clusterIdempotentRepository
                  steps:
                    - to: seda:processedToo
        """, Map.of()));
    contextB.createProducerTemplate().sendBodyAndHeader("direct:onceToo", "same key", "id", key);
    assertNotNull(contextB.createConsumerTemplate().receive("seda:processedToo", 2000),
        "another integration's keys do not suppress this one's messages");
    assertTrue(members.get(0).getMap(HazelcastIdempotentRepository.MAP)
        .containsKey("shared/" + key), "keys are kept per integration");
  }

  @Test
  void runsBeansRouteConfigurationsAndItsOwnErrorHandling() throws Exception {
    IntegrationSpec spec = spec("full", """
        - beans:
            - name: greeting
              type: java.lang.String
              constructors:
                0: "hi from a bean"
        - routeConfiguration:
            id: full-fallback
            onException:
              - onException:
                  exception:
                    - java.lang.IllegalStateException
                  handled:
                    constant: true
                  steps:
                    - setBody:
                        constant: "handled"
        - route:
            id: main
            routeConfigurationId: full-fallback
            from:
              uri: direct:full
              steps:
                - choice:
                    when:
                      - simple: "${header.fail} == 'yes'"
                        steps:
                          - throwException:
                              exceptionType: java.lang.IllegalStateException
                              message: boom
                    otherwise:
                      steps:
                        - setBody:
                            simple: "${bean:greeting?method=toString}"
        """, Map.of());
    CamelRuntime runtime = runtime(0);
    runtime.validate(spec);
    runtime.add(spec);
    ProducerTemplate producer = runtime.camelContext().createProducerTemplate();

    assertEquals("hi from a bean", producer.requestBody("direct:full", "", String.class));
    assertEquals("handled", producer.requestBodyAndHeader("direct:full", "", "fail", "yes",
        String.class), "the route configuration's onException, not the retry policy");
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void refusesARouteConfigurationWithoutAnId() throws Exception {
    IntegrationSpec spec = spec("global", """
        - routeConfiguration:
            onException:
              - onException:
                  exception: [java.lang.Exception]
                  handled: {constant: true}
        - from:
            uri: direct:global
            steps:
              - log: x
        """, Map.of());

    IntegrationRejectedException e = assertThrows(IntegrationRejectedException.class,
        () -> runtime(0).validate(spec));

    assertTrue(e.getMessage().startsWith("a routeConfiguration without an id would apply to the"
        + " routes of every integration on the node"), e.getMessage());
  }

  @Test
  void masterEndpointConsumesOnOneNodeOnly() throws Exception {
    String yaml = """
        - from:
            uri: "master:tick-lock:timer:tick?period=100"
            steps:
              - setVariable:
                  name: "cluster:master-tick"
                  simple: "${camelId}"
              - to: seda:ticked
        """;
    CamelRuntime a = runtime(0);
    CamelRuntime b = runtime(1);
    a.add(spec("mastered", yaml, Map.of()));
    b.add(spec("mastered", yaml, Map.of()));

    await("one node leads").atMost(Duration.ofSeconds(5)).until(() ->
        a.camelContext().getEndpoint("seda:ticked", org.apache.camel.component.seda
            .SedaEndpoint.class).getCurrentQueueSize()
            + b.camelContext().getEndpoint("seda:ticked", org.apache.camel.component.seda
            .SedaEndpoint.class).getCurrentQueueSize() >= 5);
    int onA = a.camelContext().getEndpoint("seda:ticked",
        org.apache.camel.component.seda.SedaEndpoint.class).getCurrentQueueSize();
    int onB = b.camelContext().getEndpoint("seda:ticked",
        org.apache.camel.component.seda.SedaEndpoint.class).getCurrentQueueSize();
    assertTrue(onA == 0 || onB == 0, "both nodes consumed: " + onA + " and " + onB);
  }

  @Test
  void pollersRunOnOneNodeUnlessTheIntegrationSaysEveryNode(@TempDir java.nio.file.Path dir)
      throws Exception {
    String poll = """
        - route:
            id: poll
            from:
              uri: "file:%s?delay=100"
              steps:
                - log: "${file:name}"
        - route:
            id: serve
            from:
              uri: direct:%s
              steps:
                - log: served
        """;
    CamelRuntime a = runtime(0);
    CamelRuntime b = runtime(1);
    for (CamelRuntime r : List.of(a, b)) {
      r.add(spec("one-poller", poll.formatted(dir.resolve("one"), "one"), Map.of()));
      r.add(spec("every-poller", poll.formatted(dir.resolve("every"), "every"),
          Map.of("pollers", "active-active")));
    }

    await("a file: poller runs on one node only").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertEquals(List.of(true, false), List.of(a, b).stream()
            .map(r -> started(r, "one-poller.poll")).sorted(java.util.Comparator.reverseOrder())
            .toList()));
    assertTrue(started(a, "one-poller.serve") && started(b, "one-poller.serve"),
        "the integration's other consumers run on every node");
    assertTrue(started(a, "every-poller.poll") && started(b, "every-poller.poll"),
        "pollers: active-active polls on every node");
  }

  private static boolean started(CamelRuntime runtime, String routeId) {
    try {
      return runtime.camelContext().getRouteController().getRouteStatus(routeId)
          == org.apache.camel.ServiceStatus.Started;
    } catch (Exception e) {
      throw new AssertionError("no status of route " + routeId, e);
    }
  }

  @Test
  void swapsAnIntegrationForItsNextVersion() throws Exception {
    CamelRuntime runtime = runtime(0);
    runtime.add(spec("swap", "- from:\n    uri: direct:swap\n    steps:\n"
        + "      - setBody: {constant: v1}\n", Map.of()));
    ProducerTemplate producer = runtime.camelContext().createProducerTemplate();
    assertEquals("v1", producer.requestBody("direct:swap", "", String.class));

    runtime.swap(() -> {
      runtime.removeIntegration("swap");
      return runtime.add(spec("swap", "- from:\n    uri: direct:swap\n    steps:\n"
          + "      - setBody: {constant: v2}\n", Map.of()));
    });

    assertEquals("v2", producer.requestBody("direct:swap", "", String.class));
    assertEquals(List.of("swap.route1"), runtime.camelContext().getRoutes().stream()
        .map(r -> r.getRouteId()).toList());
  }
}

package dev.alpharen.arsrv.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.alpharen.arclst.ClusterVariables;
import dev.alpharen.arclst.testing.TestMembers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every YAML example in docs/integrations.md is an integration the runtime accepts, and the cron
 * directory poller and the singleton poller, run as written (with their paths, schedule and target
 * moved to this test's), do what the text says.
 */
class DocsExamplesTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyExampleValidates() throws Exception {
    List<String> examples = examples();
    assertEquals(5, examples.size(), "examples in docs/integrations.md");
    List<String> refused = new ArrayList<>();
    try (TestMembers members = TestMembers.start(1)) {
      CamelRuntime runtime = new CamelRuntime(members.get(0), "docs", new HttpRouter(),
          new SimpleMeterRegistry(), () -> true, DeadLetterSink.logging());
      // As on a node: jms: endpoints find the broker's connection factory (not connected here).
      runtime.bindBeans(Map.of("connectionFactory",
          new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory("vm://0")));
      for (int i = 0; i < examples.size(); i++) {
        try {
          runtime.validate(new SpecParser().parse("example-" + (i + 1), examples.get(i),
              Map.of()));
        } catch (dev.alpharen.arwadm.IntegrationRejectedException e) {
          refused.add("example " + (i + 1) + " line " + e.line() + ": " + e.getMessage());
        }
      }
      runtime.close();
    }
    assertEquals(List.of(), refused);
  }

  @Test
  void cronExampleCollectsDroppedFilesIntoADailyFileAndMovesThemAside(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    String yaml = example("alpharen.description: collects dropped files")
        .replace("/var/spool/in", in.toString()).replace("/var/spool/out", out.toString())
        .replace("scheduler.cron=0+0/5+*+*+*+?", "scheduler.cron=0/1+*+*+*+*+?");
    try (TestMembers members = TestMembers.start(1)) {
      CamelRuntime runtime = runtime(members);
      try {
        runtime.add(new SpecParser().parse("collect", yaml, Map.of()));
        Files.writeString(in.resolve("a.txt"), "first");
        Files.writeString(in.resolve("b.txt"), "second");

        Path daily = out.resolve("collected-" + LocalDate.now() + ".txt");
        await("both files collected").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
          assertTrue(Files.exists(daily), "no " + daily);
          assertEquals(Set.of("first", "second"), Set.copyOf(Files.readAllLines(daily)));
        });
        assertTrue(Files.exists(in.resolve(".done").resolve("a.txt")), "a.txt moved to .done");
        assertTrue(Files.exists(in.resolve(".done").resolve("b.txt")), "b.txt moved to .done");
      } finally {
        runtime.close();
      }
    }
  }

  @Test
  void singletonPollerExampleKeepsTheLastAnswerInAClusterVariable() throws Exception {
    HttpServer feed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        0);
    byte[] prices = "{\"eur\": 1.08}".getBytes(StandardCharsets.UTF_8);
    feed.createContext("/prices", exchange -> {
      exchange.sendResponseHeaders(200, prices.length);
      exchange.getResponseBody().write(prices);
      exchange.close();
    });
    feed.start();
    String yaml = example("alpharen.mode: singleton")
        .replace("timer:prices?period=10000", "timer:prices?period=200")
        .replace("127.0.0.1:9100", "127.0.0.1:" + feed.getAddress().getPort());
    try (TestMembers members = TestMembers.start(1)) {
      CamelRuntime runtime = runtime(members);
      try {
        runtime.add(new SpecParser().parse("prices", yaml, Map.of()));

        await("the feed's answer in the cluster variable").atMost(Duration.ofSeconds(15))
            .untilAsserted(() -> assertEquals("{\"eur\": 1.08}",
                new ClusterVariables(members.get(0)).get("last-prices").orElse(null)));
      } finally {
        runtime.close();
      }
    } finally {
      feed.stop(0);
    }
  }

  private static CamelRuntime runtime(TestMembers members) {
    return new CamelRuntime(members.get(0), "docs", new HttpRouter(), new SimpleMeterRegistry(),
        () -> true, DeadLetterSink.logging());
  }

  /** The one example holding {@code marker}. */
  private static String example(String marker) throws IOException {
    List<String> matching = examples().stream().filter(e -> e.contains(marker)).toList();
    assertEquals(1, matching.size(), "examples holding '" + marker + "'");
    return matching.get(0);
  }

  private static List<String> examples() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "integrations.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }
}

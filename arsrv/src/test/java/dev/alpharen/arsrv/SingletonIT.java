package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 s timer deployed to three nodes fires on exactly one of them: every firing writes a file
 * named by its time and node into a directory all nodes share, and the test checks that no two
 * nodes fired within the same tick and that the timer moved within 5 s when its node was killed
 * with {@code kill -9}, drained, or frozen with SIGSTOP.
 */
class SingletonIT {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
  private static final Duration PERIOD = Duration.ofSeconds(1);

  @TempDir
  Path sink;

  /** One firing: when, on which node, in which fencing term of the singleton lease. */
  record Tick(Instant at, String node, long term) {}

  /** {@code <yyyyMMddHHmmssSSS>-<camelId>-<term>.tick}, as the route names its files. */
  private static final Pattern TICK_FILE = Pattern.compile("(\\d{17})-(.+)-(\\d+)\\.tick");

  @Test
  void firesOncePerTickAndMovesWithinFiveSecondsOfKillAndDrain() {
    try (TestCluster cluster = TestCluster.start(3, "node.drainGrace=0s")) {
      deploy(cluster.node(0));
      awaitTicks(3);
      TestNode leader = byId(cluster, last().node());
      await("20 s of ticks, first half").atMost(Duration.ofSeconds(20))
          .until(() -> ticks().size() >= 10);

      Instant killed = Instant.now();
      leader.kill();
      await("a tick on another node within 5 s of kill -9").atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ticks().stream().anyMatch(t -> t.at().isAfter(killed)
              && !t.node().equals(leader.id())));
      Tick first = ticks().stream().filter(t -> t.at().isAfter(killed)
          && !t.node().equals(leader.id())).findFirst().orElseThrow();
      System.out.printf("singleton moved %d ms after kill -9%n",
          Duration.between(killed, first.at()).toMillis());
      int before = ticks().size();
      await("20 s of ticks, second half").atMost(Duration.ofSeconds(20))
          .until(() -> ticks().size() >= before + 8);
      TestNode next = byId(cluster, last().node());
      TestNode other = cluster.running().stream().filter(n -> n != next).findFirst().orElseThrow();
      await("the API names the leader").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertEquals(next.id(), other.getJson("/api/v1/integrations/ticker").path("nodes")
              .path(other.id()).path("leader").asText()));

      Instant drained = Instant.now();
      HttpResponse<String> drain = other.send(HttpRequest.newBuilder(URI.create(other.httpUrl()
          + "/api/v1/nodes/" + next.id() + "/drain")).POST(HttpRequest.BodyPublishers.noBody()));
      assertEquals(202, drain.statusCode(), drain.body());
      await("a tick on the last node within 5 s of the drain").atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ticks().stream().anyMatch(t -> t.node().equals(other.id())
              && t.at().isAfter(drained)));
      int afterDrain = ticks().size();
      await("ticks on the last node").atMost(Duration.ofSeconds(10))
          .until(() -> ticks().size() >= afterDrain + 3);

      List<Tick> ticks = ticks();
      assertFenced(ticks);
      assertOnePerTick(ticks);
      assertTrue(ticks.stream().filter(t -> t.at().isAfter(killed))
          .allMatch(t -> !t.node().equals(leader.id())), "the killed node fired: " + ticks);
      assertLargestGapAtMost(ticks, Duration.ofSeconds(5));
    }
  }

  @Test
  void frozenLeaderStopsFiringBeforeAnotherNodeTakesOver() {
    try (TestCluster cluster = TestCluster.start(3)) {
      deploy(cluster.node(1));
      awaitTicks(3);
      TestNode leader = byId(cluster, last().node());

      Instant paused = Instant.now();
      leader.pause();
      try {
        await("a tick on another node within 5 s of SIGSTOP").atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> ticks().stream().anyMatch(t -> t.at().isAfter(paused)
                && !t.node().equals(leader.id())));
      } finally {
        leader.resume();
      }
      int resumedAt = ticks().size();
      // the resumed node rejoins; the timer must keep firing on one node only meanwhile
      await("ticks after the frozen node resumed").atMost(Duration.ofSeconds(30))
          .until(() -> ticks().size() >= resumedAt + 10);
      cluster.awaitClusterSize(3);

      List<Tick> ticks = ticks();
      assertFenced(ticks);
      assertOnePerTick(ticks);
      assertLargestGapAtMost(ticks, Duration.ofSeconds(5));
    }
  }

  private void deploy(TestNode via) {
    String yaml = """
        # alpharen.description: one firing per second, cluster-wide
        - route:
            from:
              uri: timer:tick?period=%d
              steps:
                - setBody:
                    simple: "${camelId}"
                - to:
                    uri: "file:%s?fileName=${date:now:yyyyMMddHHmmssSSS}-${camelId}-\
        ${exchangeProperty.AlphaRenSingletonTerm}.tick"
        """.formatted(PERIOD.toMillis(), sink.toAbsolutePath());
    HttpResponse<String> created = via.send(HttpRequest.newBuilder(
        URI.create(via.httpUrl() + "/api/v1/integrations/ticker"))
        .PUT(HttpRequest.BodyPublishers.ofString(yaml)));
    assertEquals(201, created.statusCode(), created.body());
  }

  private void awaitTicks(int count) {
    await(count + " ticks").atMost(Duration.ofSeconds(15)).until(() -> ticks().size() >= count);
  }

  private Tick last() {
    List<Tick> ticks = ticks();
    return ticks.get(ticks.size() - 1);
  }

  private static TestNode byId(TestCluster cluster, String contextName) {
    return cluster.nodes().stream().filter(n -> contextName.equals(n.id())).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + contextName));
  }

  /** Every firing so far, oldest first. */
  private List<Tick> ticks() {
    List<Tick> ticks = new ArrayList<>();
    try (Stream<Path> files = Files.list(sink)) {
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tick")).forEach(n -> {
        Matcher m = TICK_FILE.matcher(n);
        assertTrue(m.matches(), "a firing without a fencing term: " + n);
        ticks.add(new Tick(LocalDateTime.parse(m.group(1), STAMP).atZone(ZoneId.systemDefault())
            .toInstant(), m.group(2).replace("alpharen-", ""), Long.parseLong(m.group(3))));
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ticks.sort(Comparator.comparing(Tick::at));
    return ticks;
  }

  /**
   * Never two leaders at once, by the fencing terms the firings carry: each term belongs to one
   * node, and no firing of an earlier term comes after a firing of a later one (an old leader
   * still firing once another has taken over). All nodes share this machine's clock.
   */
  private static void assertFenced(List<Tick> ticks) {
    Map<Long, String> nodeOfTerm = new HashMap<>();
    for (int i = 0; i < ticks.size(); i++) {
      Tick t = ticks.get(i);
      String before = nodeOfTerm.putIfAbsent(t.term(), t.node());
      assertTrue(before == null || before.equals(t.node()), "term " + t.term() + " held by "
          + before + " and " + t.node() + ": " + ticks);
      if (i > 0) {
        Tick previous = ticks.get(i - 1);
        assertTrue(previous.term() <= t.term(), "a firing of term " + t.term() + " after one of"
            + " term " + previous.term() + " (" + previous + " then " + t + "): " + ticks);
      }
    }
    System.out.printf("%d firings in %d terms: %s%n", ticks.size(), nodeOfTerm.size(),
        nodeOfTerm);
  }

  /**
   * No two nodes fired within the same tick: firings of different nodes in a row are at least
   * half a period apart, and no window of five periods holds more than six firings.
   */
  private static void assertOnePerTick(List<Tick> ticks) {
    for (int i = 1; i < ticks.size(); i++) {
      Tick a = ticks.get(i - 1);
      Tick b = ticks.get(i);
      if (!a.node().equals(b.node())) {
        assertTrue(Duration.between(a.at(), b.at()).compareTo(PERIOD.dividedBy(2)) >= 0,
            "two nodes fired in one tick: " + a + " and " + b + " in " + ticks);
      }
    }
    for (Tick start : ticks) {
      Instant end = start.at().plus(PERIOD.multipliedBy(5));
      long inWindow = ticks.stream()
          .filter(t -> !t.at().isBefore(start.at()) && t.at().isBefore(end)).count();
      assertTrue(inWindow <= 6, inWindow + " firings within 5 periods from " + start + ": "
          + ticks);
    }
  }

  private static void assertLargestGapAtMost(List<Tick> ticks, Duration limit) {
    for (int i = 1; i < ticks.size(); i++) {
      Duration gap = Duration.between(ticks.get(i - 1).at(), ticks.get(i).at());
      assertTrue(gap.compareTo(limit) <= 0, "no firing for " + gap.toMillis() + " ms after "
          + ticks.get(i - 1) + " (limit " + limit.toMillis() + " ms): " + ticks);
    }
  }
}

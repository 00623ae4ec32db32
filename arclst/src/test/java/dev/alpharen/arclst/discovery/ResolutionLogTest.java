package dev.alpharen.arclst.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One log line per change of the resolution outcome, not one per attempt. */
final class ResolutionLogTest {
  private static final Resolution NXDOMAIN = new Resolution.Failure("no such name (NXDOMAIN)");
  private static final Resolution TIMEOUT = new Resolution.Failure("no answer within 2000 ms");
  private static final Resolution TWO_SEEDS = new Resolution.Seeds(
      List.of(new InetSocketAddress("127.0.0.1", 5701), new InetSocketAddress("127.0.0.1", 5702)),
      List.of());

  private final Logger logger = (Logger) LoggerFactory.getLogger(ResolutionLog.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final ResolutionLog log = new ResolutionLog("_arclst._tcp.test.example.", "127.0.0.1:53");

  @BeforeEach
  void captureLog() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void releaseLog() {
    logger.detachAppender(appender);
  }

  @Test
  void warnsOnceWhileTheSameFailureRepeats() {
    assertTrue(log.record(NXDOMAIN));
    assertFalse(log.record(NXDOMAIN));
    assertFalse(log.record(NXDOMAIN));

    assertEquals(List.of("WARN cluster.join.dns: _arclst._tcp.test.example. did not resolve at"
        + " 127.0.0.1:53: no such name (NXDOMAIN); expected SRV records naming the members, using"
        + " no seeds from DNS until it does"), lines());
  }

  @Test
  void warnsAgainWhenTheFailureChangesAndSaysInfoOnRecovery() {
    log.record(NXDOMAIN);
    log.record(TIMEOUT);
    log.record(TIMEOUT);
    log.record(TWO_SEEDS);
    log.record(TWO_SEEDS);

    List<String> lines = lines();
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(1).startsWith("WARN ")
        && lines.get(1).contains("no answer within 2000 ms"), lines.get(1));
    assertEquals("INFO cluster.join.dns: _arclst._tcp.test.example. resolved at 127.0.0.1:53 to 2"
        + " seed(s) [/127.0.0.1:5701, /127.0.0.1:5702]", lines.get(2));
  }

  @Test
  void warnsWhenTheNameHasNoUsableRecordsOrSomeTargetsHaveNoAddress() {
    log.record(new Resolution.Seeds(List.of(), List.of()));
    log.record(new Resolution.Seeds(List.of(new InetSocketAddress("127.0.0.1", 5701)),
        List.of("gone.test.example.")));

    List<String> lines = lines();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("WARN ") && lines.get(0).contains("no usable SRV record"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("WARN ")
        && lines.get(1).contains("skipped targets without an A record: [gone.test.example.]"),
        lines.get(1));
  }

  @Test
  void logsAChangeOfSeedsAgain() {
    log.record(TWO_SEEDS);
    assertTrue(log.record(new Resolution.Seeds(
        List.of(new InetSocketAddress("127.0.0.1", 5701)), List.of())));

    assertEquals(2, lines().size());
    assertTrue(lines().stream().allMatch(l -> l.startsWith("INFO ")), lines().toString());
  }

  private List<String> lines() {
    return appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(e -> e.getLevel() + " " + e.getFormattedMessage())
        .toList();
  }
}

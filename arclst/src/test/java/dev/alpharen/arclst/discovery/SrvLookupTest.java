package dev.alpharen.arclst.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Resolving an SRV name against a DNS server on loopback. */
final class SrvLookupTest {
  private static final String SERVICE = "_arclst._tcp.test.example.";
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  private TestDnsServer dns;
  private SrvLookup lookup;

  @BeforeEach
  void startServer() throws TextParseException {
    dns = TestDnsServer.start();
    SimpleResolver resolver = new SimpleResolver(dns.address());
    resolver.setTimeout(TIMEOUT);
    lookup = new SrvLookup(resolver, Name.fromString(SERVICE));
  }

  @AfterEach
  void stopServer() {
    dns.close();
  }

  @Test
  void resolvesTargetsFromTheAdditionalSectionWithoutAskingForTheirAddresses() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    dns.addMember(SERVICE, "b.test.example.", "127.0.0.2", 5702);

    Resolution outcome = lookup.resolve();

    assertEquals(new Resolution.Seeds(
        List.of(seed("127.0.0.1", 5701), seed("127.0.0.2", 5702)), List.of()), outcome);
    assertEquals(1, dns.queries(SERVICE, Type.SRV));
    assertEquals(0, dns.queries("a.test.example.", Type.A));
    assertEquals(0, dns.queries("b.test.example.", Type.A));
  }

  @Test
  void asksTheSameServerForTheTargetsAddressWhenTheAnswerLeavesItOut() {
    dns.sendAdditionalRecords(false);
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);

    Resolution outcome = lookup.resolve();

    assertEquals(new Resolution.Seeds(List.of(seed("127.0.0.1", 5701)), List.of()), outcome);
    assertEquals(1, dns.queries("a.test.example.", Type.A));
  }

  @Test
  void anUnknownNameIsAFailureSayingNxdomain() {
    assertEquals(new Resolution.Failure("no such name (NXDOMAIN)"), lookup.resolve());
  }

  @Test
  void aNameWithoutSrvRecordsResolvesToNoSeeds() {
    dns.addA(SERVICE, "127.0.0.1");

    assertEquals(new Resolution.Seeds(List.of(), List.of()), lookup.resolve());
  }

  @Test
  void aTargetWithoutAddressIsReportedAndTheOthersKept() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    dns.addSrv(SERVICE, "gone.test.example.", 5702);

    assertEquals(new Resolution.Seeds(List.of(seed("127.0.0.1", 5701)),
        List.of("gone.test.example.")), lookup.resolve());
  }

  @Test
  void seesRecordsAddedAndRemovedSinceThePreviousCall() {
    assertInstanceOf(Resolution.Failure.class, lookup.resolve());

    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    assertEquals(List.of(seed("127.0.0.1", 5701)), seeds(lookup.resolve()));

    dns.addMember(SERVICE, "b.test.example.", "127.0.0.2", 5702);
    assertEquals(List.of(seed("127.0.0.1", 5701), seed("127.0.0.2", 5702)),
        seeds(lookup.resolve()));

    dns.remove(SERVICE);
    assertEquals(new Resolution.Failure("no such name (NXDOMAIN)"), lookup.resolve());
    assertEquals(4, dns.queries(SERVICE, Type.SRV), "every call asks the server, none is cached");
  }

  @Test
  void aSilentServerIsAFailureAfterTheTimeout() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    dns.answer(false);

    long start = System.nanoTime();
    Resolution outcome = lookup.resolve();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(new Resolution.Failure("no answer within 300 ms"), outcome);
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "bounded by the timeout, took " + took);
  }

  @Test
  void aStoppedServerIsAFailure() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    dns.close();

    assertInstanceOf(Resolution.Failure.class, lookup.resolve());
  }

  @Test
  void refusesARelativeName() throws TextParseException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SrvLookup(new SimpleResolver(dns.address()), Name.fromString("relative", null)));
    assertEquals("SRV name must be absolute (end with a dot), was relative", e.getMessage());
  }

  private static List<InetSocketAddress> seeds(Resolution outcome) {
    return assertInstanceOf(Resolution.Seeds.class, outcome).seeds();
  }

  private static InetSocketAddress seed(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }
}

package dev.alpharen.arclst.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.logging.Logger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import dev.alpharen.arclst.testing.TestDnsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** The strategy Hazelcast asks for seeds: static members plus a DNS name, resolved on each call. */
final class SeedDiscoveryStrategyFactoryTest {
  private static final String SERVICE = "_arclst._tcp.test.example.";

  private TestDnsServer dns;

  @BeforeEach
  void startServer() {
    dns = TestDnsServer.start();
  }

  @AfterEach
  void stopServer() {
    dns.close();
  }

  @Test
  void yieldsTheStaticSeedsThenThoseTheNameResolvesToWithoutDuplicates() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    dns.addMember(SERVICE, "b.test.example.", "127.0.0.1", 5702);

    DiscoveryStrategy strategy = strategy(List.of("127.0.0.1:5800", "127.0.0.1:5701"), SERVICE);

    assertEquals(List.of("127.0.0.1:5800", "127.0.0.1:5701", "127.0.0.1:5702"), seeds(strategy));
  }

  @Test
  void resolvesTheNameAgainOnEveryCall() {
    DiscoveryStrategy strategy = strategy(List.of(), SERVICE);
    assertEquals(List.of(), seeds(strategy));

    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);

    assertEquals(List.of("127.0.0.1:5701"), seeds(strategy));
  }

  @Test
  void takesANameWithoutFinalDotAsAbsolute() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);

    assertEquals(List.of("127.0.0.1:5701"),
        seeds(strategy(List.of(), "_arclst._tcp.test.example")));
  }

  @Test
  void yieldsOnlyTheStaticSeedsWhenTheDnsServerIsGone() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);
    DiscoveryStrategy strategy = strategy(List.of("127.0.0.1:5800"), SERVICE);
    dns.close();

    assertEquals(List.of("127.0.0.1:5800"), seeds(strategy));
  }

  @Test
  void withoutDnsNameAsksNoDnsServer() {
    dns.addMember(SERVICE, "a.test.example.", "127.0.0.1", 5701);

    assertEquals(List.of("127.0.0.1:5800"), seeds(strategy(List.of("127.0.0.1:5800"), "")));
    assertEquals(List.of(), seeds(strategy(List.of(), "")));
    assertEquals(0, dns.queries(SERVICE, Type.SRV));
  }

  @Test
  void rejectsAMalformedDnsNameNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SeedDiscoveryStrategyFactory(List.of(), "a..b", dns.hostPort()));
    assertTrue(e.getMessage().startsWith("cluster.join.dns: 'a..b' is not a DNS name ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("expected an SRV name such as _arclst._tcp.lan.example."),
        e.getMessage());
  }

  private DiscoveryStrategy strategy(List<String> members, String dnsName) {
    SeedDiscoveryStrategyFactory factory =
        new SeedDiscoveryStrategyFactory(members, dnsName, dns.hostPort());
    assertEquals(SeedDiscoveryStrategy.class, factory.getDiscoveryStrategyType());
    return factory.newDiscoveryStrategy(null, Logger.getLogger(getClass()), Map.of());
  }

  private static List<String> seeds(DiscoveryStrategy strategy) {
    List<String> seeds = new ArrayList<>();
    for (DiscoveryNode node : strategy.discoverNodes()) {
      seeds.add(node.getPrivateAddress().getHost() + ":" + node.getPrivateAddress().getPort());
    }
    return seeds;
  }
}

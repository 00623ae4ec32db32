package dev.alpharen.arclst.discovery;

import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * Plugs our seeds into Hazelcast's discovery SPI: static {@code cluster.join.members} plus the
 * members an SRV name ({@code cluster.join.dns}) resolves to. A member with an SRV name joins
 * through it; the static seeds ride along because Hazelcast runs one joiner only, so its TCP/IP
 * joiner cannot be on beside the discovery SPI. Immutable; thread-safe.
 *
 * <p>When Hazelcast asks, and so how soon a new SRV record is noticed: the joiner asks once when
 * the member starts (for up to {@code hazelcast.wait.seconds.before.join} while the answer is
 * empty) and tries those seeds until it joins or gives up and forms a cluster of its own. Then the
 * split-brain handler of each cluster's master asks again on every run
 * ({@code hazelcast.merge.first.run.delay.seconds}, then every
 * {@code hazelcast.merge.next.run.delay.seconds}) and merges with any cluster it finds there.
 */
public final class SeedDiscoveryStrategyFactory implements DiscoveryStrategyFactory {
  /** How long one DNS query may take; a join attempt waits this long for a silent server. */
  static final Duration DNS_TIMEOUT = Duration.ofSeconds(2);

  private final SeedSource members;
  private final SeedSource dns;

  /**
   * @param members {@code host:port} seeds, as in {@code cluster.join.members}
   * @param dnsName the SRV name to resolve, or {@code ""} for none; a name without a final dot is
   *     taken as absolute all the same (no search domains)
   * @param dnsServer {@code host:port} of the DNS server to ask, or {@code ""} for the first server
   *     of the system's resolver configuration
   * @throws IllegalArgumentException naming the key, the value and what is allowed, when a member
   *     is not {@code host:port}, the DNS name is malformed, or the DNS server does not resolve
   */
  public SeedDiscoveryStrategyFactory(List<String> members, String dnsName, String dnsServer) {
    List<HostPort> seeds = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      seeds.add(HostPort.parse("cluster.join.members[" + i + "]", members.get(i)));
    }
    this.members = seeds.isEmpty() ? SeedSource.NONE : new StaticSeeds(seeds);
    this.dns = dnsName.isEmpty() ? SeedSource.NONE : dnsSeeds(dnsName, dnsServer);
  }

  private static SeedSource dnsSeeds(String dnsName, String dnsServer) {
    Name name;
    try {
      name = Name.fromString(dnsName, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("cluster.join.dns: '" + dnsName + "' is not a DNS name ("
          + e.getMessage() + "); expected an SRV name such as _arclst._tcp.lan.example.", e);
    }
    SimpleResolver resolver = resolver(dnsServer);
    resolver.setTimeout(DNS_TIMEOUT);
    InetSocketAddress server = resolver.getAddress();
    String serverText = server.getAddress().getHostAddress() + ":" + server.getPort()
        + (dnsServer.isEmpty() ? " (system resolver)" : "");
    return new DnsSeeds(new SrvLookup(resolver, name), new ResolutionLog(dnsName, serverText));
  }

  private static SimpleResolver resolver(String dnsServer) {
    if (dnsServer.isEmpty()) {
      try {
        return new SimpleResolver();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cluster.join.dnsServer is empty and the system resolver"
            + " names no usable server (" + e.getMessage() + "); set cluster.join.dnsServer", e);
      }
    }
    HostPort hostPort = HostPort.parse("cluster.join.dnsServer", dnsServer);
    InetSocketAddress server = new InetSocketAddress(hostPort.host(), hostPort.port());
    if (server.isUnresolved()) {
      throw new IllegalArgumentException("cluster.join.dnsServer: host '" + hostPort.host()
          + "' does not resolve; expected an IP address or a resolvable host name");
    }
    return new SimpleResolver(server);
  }

  @Override
  public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
    return SeedDiscoveryStrategy.class;
  }

  @Override
  public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode discoveryNode, ILogger logger,
      @SuppressWarnings("rawtypes") Map<String, Comparable> properties) {
    return new SeedDiscoveryStrategy(logger, properties, List.of(members, dns));
  }

  /** None: everything comes through the constructor, typed and validated. */
  @Override
  public Collection<PropertyDefinition> getConfigurationProperties() {
    return List.of();
  }
}

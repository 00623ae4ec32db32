package dev.alpharen.arclst;

import dev.alpharen.arclst.discovery.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * How a new member finds the cluster: a static list of seed addresses, a DNS SRV name, or
 * multicast. Immutable.
 *
 * <p>Seeds and the SRV name combine: the member tries every static seed and every address the name
 * resolves to when it starts, and resolves the name again on every split-brain check afterwards
 * (10 s after start, then every 5 s), merging with any cluster it finds there (see
 * {@link dev.alpharen.arclst.discovery.SeedDiscoveryStrategyFactory}). Members with seeds only and
 * members with an SRV name join each other. Multicast excludes both: Hazelcast runs exactly one
 * joiner, so with {@code multicast} on, the seeds and the SRV name are ignored (with a warning),
 * and the member only joins members that use multicast too.
 *
 * @param members seed addresses as {@code host:port}; empty when the list is not used
 * @param multicast whether multicast discovery is on
 * @param dnsName an SRV name to resolve into seeds, or the empty string when DNS is not used
 * @param dnsServer the DNS server to ask for {@code dnsName} as {@code host:port}, or the empty
 *     string for the first server of the system's resolver configuration
 */
public record JoinSettings(List<String> members, boolean multicast, String dnsName,
    String dnsServer) {
  public JoinSettings {
    members = List.copyOf(members);
    for (int i = 0; i < members.size(); i++) {
      HostPort.parse("cluster.join.members[" + i + "]", members.get(i));
    }
    Objects.requireNonNull(dnsName, "dnsName (use \"\" for none)");
    Objects.requireNonNull(dnsServer, "dnsServer (use \"\" for the system resolver)");
    if (!dnsServer.isEmpty()) {
      HostPort.parse("cluster.join.dnsServer", dnsServer);
    }
  }

  /** Seeds, multicast and an SRV name asked of the system's resolver. */
  public JoinSettings(List<String> members, boolean multicast, String dnsName) {
    this(members, multicast, dnsName, "");
  }

  /** No seeds, no multicast, no DNS: the member forms a cluster of its own. */
  public static JoinSettings alone() {
    return new JoinSettings(List.of(), false, "", "");
  }
}

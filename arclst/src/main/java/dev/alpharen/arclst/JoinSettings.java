package dev.alpharen.arclst;

import java.util.List;
import java.util.Objects;

/**
 * How a new member finds the cluster: a static list of seed addresses, multicast, or a DNS SRV name.
 * Immutable.
 *
 * @param members seed addresses as {@code host:port}; empty when the list is not used
 * @param multicast whether multicast discovery is on
 * @param dnsName an SRV name to resolve into seeds, or the empty string when DNS is not used
 */
public record JoinSettings(List<String> members, boolean multicast, String dnsName) {
  public JoinSettings {
    members = List.copyOf(members);
    Objects.requireNonNull(dnsName, "dnsName (use \"\" for none)");
  }

  /** No seeds, no multicast, no DNS: the member forms a cluster of its own. */
  public static JoinSettings alone() {
    return new JoinSettings(List.of(), false, "");
  }
}

package dev.alpharen.arclst;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the embedded Hazelcast member of a node is built from. Immutable.
 *
 * @param clusterName members only ever join a cluster of the same name
 * @param host the interface address the member binds to and announces
 * @param port the member's port; never 0 here (the caller picks a free one)
 * @param join how to find the other members
 * @param attributes published with the member and visible to all others (see {@link ClusterMember})
 * @param hazelcastProperties Hazelcast properties, for failure-detector tuning and tests
 * @param lite a lite member holds no data (a standalone proxy); it is left out of the
 *     {@link NodeDirectory}'s snapshots, and cannot use replicated maps
 */
public record MemberSettings(
    String clusterName,
    String host,
    int port,
    JoinSettings join,
    Map<String, String> attributes,
    Map<String, String> hazelcastProperties,
    boolean lite) {
  public MemberSettings {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535 (pick a free port before), was " + port);
    }
    Objects.requireNonNull(join, "join");
    attributes = Map.copyOf(attributes);
    hazelcastProperties = Map.copyOf(hazelcastProperties);
  }
}

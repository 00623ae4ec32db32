package dev.alpharen.arclst;

import java.time.Instant;
import java.util.List;

/**
 * One member of the cluster as every node sees it: Hazelcast's membership merged with the
 * descriptor the node published. Immutable.
 *
 * @param address the member's cluster address, {@code host:port}
 * @param local whether this is the member of the node that took the snapshot
 * @param node what the node published about itself
 */
public record MemberInfo(String address, boolean local, NodeDescriptor node) {
  /**
   * A member known only from Hazelcast's membership, before its descriptor has arrived: shown as
   * joining, with what its member attributes say.
   */
  public static MemberInfo joining(String id, String address, String http, boolean local) {
    return new MemberInfo(address, local, new NodeDescriptor(id, "", List.of(), hostOf(http),
        new NodePorts(portOf(http), 0, 0, 0), "", Instant.EPOCH, NodeStatus.JOINING));
  }

  public String id() {
    return node.id();
  }

  public String http() {
    return node.http();
  }

  private static String hostOf(String http) {
    String rest = http.replaceFirst("^http://", "");
    int colon = rest.lastIndexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  private static int portOf(String http) {
    int colon = http.lastIndexOf(':');
    return colon < 0 || http.endsWith("//") ? 0 : Integer.parseInt(http.substring(colon + 1));
  }
}

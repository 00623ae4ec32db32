package dev.alpharen.arhav.dns;

import java.util.regex.Pattern;

/**
 * One node as the internal DNS server publishes it: {@code <id>.<zone>} names its host, and each
 * service port above 0 makes it a target of that service's SRV records while it is ready and
 * ACTIVE. Immutable, hence thread-safe.
 *
 * @param id the node id, a DNS label (1-63 letters, digits and '-', not starting or ending with '-')
 * @param host the node's IP address literal; a host name is kept but publishes no address
 * @param httpPort the node HTTP server's port, 0 if it serves none
 * @param brokerPort the message broker's port, 0 if it runs none
 * @param clusterPort the cluster member's port, 0 if unknown
 * @param status the node's status as the cluster reports it, e.g. {@code ACTIVE}
 * @param ready whether the node reports ready (it takes work)
 */
public record DnsNode(String id, String host, int httpPort, int brokerPort, int clusterPort,
    String status, boolean ready) {
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  /** The status a node must have to appear in SRV answers. */
  static final String ACTIVE = "ACTIVE";

  public DnsNode {
    if (id == null || !LABEL.matcher(id).matches()) {
      throw new IllegalArgumentException("node id \"" + id + "\" is not a DNS label; use 1-63"
          + " letters, digits and '-', not starting or ending with '-'");
    }
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host of node " + id + " must be an IP address, was \""
          + host + "\"");
    }
    checkPort(id, "httpPort", httpPort);
    checkPort(id, "brokerPort", brokerPort);
    checkPort(id, "clusterPort", clusterPort);
    if (status == null || status.isBlank()) {
      throw new IllegalArgumentException("status of node " + id + " must be non-empty");
    }
  }

  /** Whether SRV answers may name this node: ready and {@link #ACTIVE}. */
  boolean serving() {
    return ready && ACTIVE.equals(status);
  }

  private static void checkPort(String id, String key, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(key + " of node " + id + " is " + port
          + "; allowed 0-65535 (0 = not served)");
    }
  }
}

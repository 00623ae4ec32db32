package dev.alpharen.arclst;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a node publishes about itself to the whole cluster. Immutable.
 *
 * @param id the node id, unique in the cluster
 * @param lan the LAN the node belongs to
 * @param roles the roles it plays
 * @param host the address other nodes and clients reach it on
 * @param ports the services it serves on {@code host}
 * @param version the software version it runs
 * @param startedAt when its process started
 * @param status where it is in its life
 */
public record NodeDescriptor(
    String id,
    String lan,
    List<String> roles,
    String host,
    NodePorts ports,
    String version,
    Instant startedAt,
    NodeStatus status) implements Serializable {
  public NodeDescriptor {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("node id must be non-empty");
    }
    Objects.requireNonNull(lan, "lan");
    roles = List.copyOf(roles);
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(status, "status");
  }

  /** The same node with another status. */
  public NodeDescriptor withStatus(NodeStatus newStatus) {
    return new NodeDescriptor(id, lan, roles, host, ports, version, startedAt, newStatus);
  }

  /** Base URL of the node's HTTP server, or "" if it serves none. */
  public String http() {
    return ports.http() == 0 ? "" : "http://" + host + ":" + ports.http();
  }
}

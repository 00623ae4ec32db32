package dev.alpharen.arclst.discovery;

import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.JoinSettings;
import dev.alpharen.arclst.MemberSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real members started through {@link ClusterMember#start} in the test JVM, on 127.0.0.1 and free
 * ports, with the join settings a test gives; closes them all, newest first. Thread-safe.
 */
final class LoopbackMembers implements AutoCloseable {
  /** Fewer partitions: faster start and merge, same semantics. */
  private static final Map<String, String> PROPERTIES = Map.of("hazelcast.partition.count", "23");

  private final List<ClusterMember> started = new CopyOnWriteArrayList<>();

  /** A cluster name no other test, or other test run on this machine, uses. */
  static String uniqueClusterName() {
    return "disc-" + UUID.randomUUID();
  }

  /** A TCP port free on 127.0.0.1 right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** {@code 127.0.0.1:port}, the way a seed is written. */
  static String seed(int port) {
    return "127.0.0.1:" + port;
  }

  /** Starts a member on 127.0.0.1:{@code port}; returns once it is in a cluster, maybe its own. */
  ClusterMember start(String clusterName, int port, JoinSettings join) {
    ClusterMember member = ClusterMember.start(new MemberSettings(clusterName, "127.0.0.1", port,
        join, Map.of(ClusterMember.ATTR_NODE_ID, "m" + port), PROPERTIES, false));
    started.add(member);
    return member;
  }

  /** How many members {@code member} sees in its cluster, itself included. */
  static int clusterSize(ClusterMember member) {
    return member.hazelcast().getCluster().getMembers().size();
  }

  @Override
  public void close() {
    List<ClusterMember> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    reversed.forEach(ClusterMember::close);
  }
}

package dev.alpharen.arclst;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded Hazelcast member: starts it from {@link MemberSettings}, publishes the node's
 * identity as member attributes, and answers who is in the cluster. Thread-safe.
 */
public final class ClusterMember implements ClusterView, AutoCloseable {
  /** Member attribute holding the node id. */
  public static final String ATTR_NODE_ID = "alpharen.node.id";
  /** Member attribute holding the base URL of the node's HTTP server. */
  public static final String ATTR_HTTP = "alpharen.http";

  private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

  /**
   * Settings every member gets unless the caller overrides them: no phone-home (nothing leaves the
   * machine), SLF4J logging, our own shutdown order instead of Hazelcast's hook, bind only to the
   * configured interface, and no five-second pause before a lone member forms its cluster.
   */
  private static final Map<String, String> BASE_PROPERTIES = Map.of(
      "hazelcast.phone.home.enabled", "false",
      "hazelcast.logging.type", "slf4j",
      "hazelcast.shutdownhook.enabled", "false",
      "hazelcast.socket.bind.any", "false",
      "hazelcast.wait.seconds.before.join", "0");

  private final HazelcastInstance hazelcast;
  private final String clusterName;

  private ClusterMember(HazelcastInstance hazelcast, String clusterName) {
    this.hazelcast = hazelcast;
    this.clusterName = clusterName;
  }

  /** Starts the member and returns once it has joined a cluster (possibly one of its own). */
  public static ClusterMember start(MemberSettings settings) {
    if (!settings.join().dnsName().isEmpty()) {
      throw new IllegalArgumentException("cluster.join.dns is not supported by this build yet;"
          + " use cluster.join.members or cluster.join.multicast");
    }
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(hazelcastConfig(settings));
    ClusterMember member = new ClusterMember(hz, settings.clusterName());
    hz.getCluster().addMembershipListener(new MembershipLog());
    log.info("cluster member {} joined cluster '{}' with {} member(s)",
        hz.getCluster().getLocalMember().getAddress(), settings.clusterName(),
        hz.getCluster().getMembers().size());
    return member;
  }

  static Config hazelcastConfig(MemberSettings settings) {
    Config config = new Config();
    config.setClusterName(settings.clusterName());
    config.setInstanceName("alpharen-" + settings.host() + "-" + settings.port());
    config.getJetConfig().setEnabled(false);
    BASE_PROPERTIES.forEach(config::setProperty);
    settings.hazelcastProperties().forEach(config::setProperty);
    settings.attributes().forEach(config.getMemberAttributeConfig()::setAttribute);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.host()));
    network.setPublicAddress(settings.host() + ":" + settings.port());

    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(settings.join().multicast());
    join.getTcpIpConfig()
        .setEnabled(!settings.join().multicast())
        .setMembers(new ArrayList<>(settings.join().members()));
    return config;
  }

  @Override
  public ClusterSnapshot snapshot() {
    Member local = hazelcast.getCluster().getLocalMember();
    List<MemberInfo> members = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      members.add(new MemberInfo(
          attribute(m, ATTR_NODE_ID, m.getUuid().toString()),
          m.getAddress().getHost() + ":" + m.getAddress().getPort(),
          attribute(m, ATTR_HTTP, ""),
          m.getUuid().equals(local.getUuid())));
    }
    String coordinator = members.isEmpty() ? "" : members.get(0).id();
    return new ClusterSnapshot(clusterName, coordinator, members);
  }

  /** Whether the member is running and part of a cluster. */
  public boolean isRunning() {
    return hazelcast.getLifecycleService().isRunning();
  }

  /** The Hazelcast instance, for the modules that keep shared state in it. */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** Leaves the cluster gracefully: partitions this member owns migrate to the others first. */
  @Override
  public void close() {
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.shutdown();
    }
  }

  private static String attribute(Member member, String key, String fallback) {
    String value = member.getAttribute(key);
    return value == null ? fallback : value;
  }

  /** Logs every membership change at INFO: topology changes are what operators look for first. */
  private static final class MembershipLog implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      log.info("member {} ({}) joined; cluster has {} member(s)",
          attribute(event.getMember(), ATTR_NODE_ID, "?"), event.getMember().getAddress(),
          event.getMembers().size());
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      log.info("member {} ({}) left; cluster has {} member(s)",
          attribute(event.getMember(), ATTR_NODE_ID, "?"), event.getMember().getAddress(),
          event.getMembers().size());
    }
  }
}

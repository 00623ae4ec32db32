package dev.alpharen.arclst;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MulticastConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.discovery.SeedDiscoveryStrategyFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's embedded Hazelcast member: starts it from {@link MemberSettings} and publishes the
 * node's identity as member attributes; {@link NodeDirectory} answers who is in the cluster.
 * Thread-safe.
 */
public final class ClusterMember implements AutoCloseable {
  /** Member attribute holding the node id. */
  public static final String ATTR_NODE_ID = "alpharen.node.id";
  /** Member attribute holding the base URL of the node's HTTP server. */
  public static final String ATTR_HTTP = "alpharen.http";

  private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);

  /**
   * Settings every member gets unless the caller overrides them: no phone-home (nothing leaves the
   * machine), SLF4J logging, our own shutdown order instead of Hazelcast's hook, bind only to the
   * configured interface, no five-second pause before a lone member forms its cluster, and a
   * split-brain check after 10 s and then every 5 s (Hazelcast: 300 s, then 120 s), so that members
   * which formed separate clusters, because their seeds were not up yet or their SRV name had no
   * records yet, merge within seconds. The check also re-resolves the seeds, DNS included.
   */
  private static final Map<String, String> BASE_PROPERTIES = Map.of(
      "hazelcast.phone.home.enabled", "false",
      "hazelcast.logging.type", "slf4j",
      "hazelcast.shutdownhook.enabled", "false",
      "hazelcast.socket.bind.any", "false",
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.merge.first.run.delay.seconds", "10",
      "hazelcast.merge.next.run.delay.seconds", "5");

  private final HazelcastInstance hazelcast;
  private final String clusterName;

  private ClusterMember(HazelcastInstance hazelcast, String clusterName) {
    this.hazelcast = hazelcast;
    this.clusterName = clusterName;
  }

  /**
   * Starts the member and returns once it has joined a cluster (possibly one of its own).
   *
   * @throws IllegalArgumentException when the join settings are unusable (a malformed DNS name, a
   *     DNS server that does not resolve), naming the key and what is allowed
   */
  public static ClusterMember start(MemberSettings settings) {
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
    config.setLiteMember(settings.lite());
    BASE_PROPERTIES.forEach(config::setProperty);
    settings.hazelcastProperties().forEach(config::setProperty);
    settings.attributes().forEach(config.getMemberAttributeConfig()::setAttribute);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).setInterfaces(List.of(settings.host()));
    network.setPublicAddress(settings.host() + ":" + settings.port());

    configureJoin(config, settings);
    return config;
  }

  /**
   * Picks Hazelcast's one joiner. Multicast when it is on: Hazelcast allows no second joiner beside
   * it, so the seeds and the SRV name are then ignored, with a warning. With an SRV name, the
   * discovery SPI with our {@link SeedDiscoveryStrategyFactory}, which yields the static seeds and
   * those the name resolves to, so both combine (Hazelcast refuses TCP/IP and discovery together).
   * Otherwise Hazelcast's TCP/IP joiner with the static seeds. Members of the last two kinds join
   * each other: Hazelcast 5.7 reports both joiners as type "tcp-ip" when it compares configs;
   * multicast members only join multicast members.
   */
  private static void configureJoin(Config config, MemberSettings settings) {
    JoinSettings j = settings.join();
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    if (j.multicast()) {
      if (!j.members().isEmpty() || !j.dnsName().isEmpty()) {
        log.warn("cluster.join.multicast is on, so cluster.join.members {} and cluster.join.dns"
            + " '{}' are ignored; expected only one way to join (Hazelcast runs one joiner)",
            j.members(), j.dnsName());
      }
      configureMulticast(config, settings.host());
      return;
    }
    join.getMulticastConfig().setEnabled(false);
    if (j.dnsName().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(j.members()));
      return;
    }
    config.setProperty("hazelcast.discovery.enabled", "true");
    join.getDiscoveryConfig().addDiscoveryStrategyConfig(new DiscoveryStrategyConfig(
        new SeedDiscoveryStrategyFactory(j.members(), j.dnsName(), j.dnsServer()), Map.of()));
  }

  /**
   * Multicast on the interface of {@code host}, with Hazelcast's group and port. The TTL keeps
   * datagrams on the LAN segment (1) or, for a loopback host, on this machine (0). For a loopback
   * host, Hazelcast would send through the default interface unless told to use the host's, and
   * members on the same machine only hear each other with loopback mode on; only join requests
   * from {@code host} are trusted then.
   */
  private static void configureMulticast(Config config, String host) {
    boolean loopback = isLoopback(host);
    MulticastConfig multicast = config.getNetworkConfig().getJoin().getMulticastConfig();
    multicast.setEnabled(true).setMulticastTimeToLive(loopback ? 0 : 1);
    if (loopback) {
      multicast.setLoopbackModeEnabled(true).setTrustedInterfaces(Set.of(host));
      config.setProperty("hazelcast.multicast.socket.set.interface", "true");
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // Hazelcast reports the unusable host when it binds
    }
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

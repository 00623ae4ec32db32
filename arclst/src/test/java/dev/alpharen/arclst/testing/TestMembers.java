package dev.alpharen.arclst.testing;

import static org.awaitility.Awaitility.await;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real embedded Hazelcast members in the test JVM, forming one cluster over loopback on free
 * ports, with no phone-home, no Jet and no join delay. Start with {@link #start(int)}, shut down
 * with {@link #close()} in {@code @AfterEach}. Thread-safe.
 */
public final class TestMembers implements AutoCloseable {
  private static final Duration FORMING = Duration.ofSeconds(30);

  private final String clusterName = "t-" + UUID.randomUUID();
  private final List<HazelcastInstance> members = new CopyOnWriteArrayList<>();
  private final List<Integer> ports = new CopyOnWriteArrayList<>();

  private TestMembers() {}

  /** Starts {@code count} members, one after the other, and returns once all see each other. */
  public static TestMembers start(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
    TestMembers cluster = new TestMembers();
    try {
      for (int i = 0; i < count; i++) {
        cluster.startAnother();
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Starts one more member, which joins the others (listing only members already started, so the
   * first forms its cluster without probing ports nobody listens on yet), and waits until every
   * running member sees it.
   */
  public HazelcastInstance startAnother() {
    int port = freePort();
    ports.add(port);
    HazelcastInstance member = Hazelcast.newHazelcastInstance(config(clusterName, port, ports));
    members.add(member);
    int expected = running().size();
    await().atMost(FORMING).until(() -> running().stream()
        .allMatch(m -> m.getCluster().getMembers().size() == expected));
    return member;
  }

  /** The config of a loopback member on {@code port} that joins the members on {@code seeds}. */
  public static Config config(String clusterName, int port, List<Integer> seeds) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName(clusterName + "-" + port);
    config.getJetConfig().setEnabled(false);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // fewer partitions: faster start and migration, same semantics
    config.setProperty("hazelcast.partition.count", "23");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> addresses = new ArrayList<>();
    seeds.forEach(p -> addresses.add("127.0.0.1:" + p));
    join.getTcpIpConfig().setEnabled(true).setMembers(addresses);
    return config;
  }

  /** Member {@code index}, in start order. */
  public HazelcastInstance get(int index) {
    return members.get(index);
  }

  /** Every member started, in start order, running or not. */
  public List<HazelcastInstance> all() {
    return List.copyOf(members);
  }

  /** The members still running. */
  public List<HazelcastInstance> running() {
    return members.stream().filter(m -> m.getLifecycleService().isRunning()).toList();
  }

  /** Shuts every member down, gracefully, newest first. */
  @Override
  public void close() {
    List<HazelcastInstance> reversed = new ArrayList<>(members);
    Collections.reverse(reversed);
    for (HazelcastInstance member : reversed) {
      if (member.getLifecycleService().isRunning()) {
        member.shutdown();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}

package dev.alpharen.arsrv.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * N real node processes forming one cluster on 127.0.0.1 with free ports and their own data
 * directories under {@code target/it-nodes/<cluster>/}, where each node's log stays for diagnosis.
 * Every node lists every other node's cluster port as a seed. Closing kills whatever still runs;
 * a JVM shutdown hook does the same if the test run dies. Driven by one test thread; {@link
 * #nodes()} may be read from others (load generators).
 */
public final class TestCluster implements AutoCloseable {
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private final String name;
  private final Path root;
  private final List<String> sets;
  private final List<Integer> ports = new ArrayList<>();
  private final List<TestNode> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Thread reaper = new Thread(this::destroyAll, "test-cluster-reaper");

  private TestCluster(String name, Path root, List<String> sets) {
    this.name = name;
    this.root = root;
    this.sets = List.copyOf(sets);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Starts {@code size} nodes, waits until each is ready and sees all of them. */
  public static TestCluster start(int size, String... sets) {
    TestCluster cluster = create(size, sets);
    try {
      cluster.nodes.forEach(TestNode::start);
      cluster.nodes.forEach(TestNode::awaitReady);
      cluster.awaitClusterSize(size);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Prepares {@code size} nodes without starting them.
   *
   * @param sets {@code key=value} settings given to every node with {@code --set}
   */
  public static TestCluster create(int size, String... sets) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, was " + size);
    }
    String name = "it" + ProcessHandle.current().pid() + "-" + CLUSTERS.incrementAndGet();
    Path root = Path.of("target", "it-nodes", name).toAbsolutePath();
    TestCluster cluster = new TestCluster(name, root, List.of(sets));
    for (int i = 0; i < size; i++) {
      cluster.ports.add(freePort());
    }
    for (int i = 0; i < size; i++) {
      cluster.prepareNode();
    }
    return cluster;
  }

  /** Prepares one more node that lists every existing node as a seed; not started. */
  public TestNode addNode() {
    ports.add(freePort());
    return prepareNode();
  }

  private TestNode prepareNode() {
    int index = nodes.size();
    String id = "n" + (index + 1);
    Path dir = root.resolve(id);
    int brokerPort = freePort();
    String seeds = ports.stream().map(p -> "      - 127.0.0.1:" + p)
        .collect(Collectors.joining("\n"));
    String yaml = String.join("\n",
        "node:",
        "  id: " + id,
        "  dataDir: " + dir.resolve("data"),
        "  shutdownTimeout: 10s",
        "cluster:",
        "  name: " + name,
        "  host: 127.0.0.1",
        "  port: " + ports.get(index),
        "  join:",
        "    members:",
        seeds,
        "http:",
        "  host: 127.0.0.1",
        "  port: 0",
        "broker:",
        "  port: " + brokerPort,
        "  users:",
        "    - {name: " + TestNode.BROKER_USER + ", password: " + TestNode.BROKER_PASSWORD
            + ", roles: [send, consume, admin]}",
        "    - {name: it-sender, password: it-sender-password, roles: [send]}",
        "proxy:",
        "  port: 0",
        "dns:",
        "  port: 0",
        "security:",
        "  adminPassword: " + TestNode.ADMIN_PASSWORD,
        "");
    Path config = dir.resolve("node.yaml");
    try {
      Files.createDirectories(dir);
      Files.writeString(config, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    TestNode node = new TestNode(id, dir, ports.get(index), brokerPort, config, sets);
    nodes.add(node);
    return node;
  }

  public String name() {
    return name;
  }

  /** Node {@code i}, counting from 0 ({@code n1} is node 0). */
  public TestNode node(int i) {
    return nodes.get(i);
  }

  public List<TestNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The nodes whose process is running. */
  public List<TestNode> running() {
    return nodes.stream().filter(TestNode::isAlive).toList();
  }

  /** Waits until every running node lists exactly {@code size} members. */
  public void awaitClusterSize(int size) {
    await("cluster " + name + " of " + size + " on every running node")
        .atMost(TestNode.READY_TIMEOUT).pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .until(() -> running().stream().allMatch(n -> n.memberIds().size() == size));
  }

  /** Kills every node still running; the logs stay under {@code target/it-nodes}. */
  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; it does the same
    }
  }

  private void destroyAll() {
    nodes.forEach(TestNode::destroy);
  }

  private static final java.util.Set<Integer> HANDED_OUT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * A port free now, below Linux's ephemeral range (32768-60999): the ports handed out for port 0
   * and outgoing connections, by this and every other process, never take it before the node
   * binds it. Handed out once per test run.
   */
  public static int freePort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_768);
      if (!HANDED_OUT.add(port)) {
        continue; // one port per node and purpose for the whole test run
      }
      try (ServerSocket socket = new ServerSocket(port, 1,
          java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new UncheckedIOException("no free port in 20000-32767", last);
  }
}

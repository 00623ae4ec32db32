package dev.alpharen.arsrv.broker;

import dev.alpharen.arsrv.runtime.QueueBounds;
import dev.alpharen.arsrv.config.NodeConfig.BrokerSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.impl.ActiveMQServerImpl;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's ActiveMQ Artemis broker: a persistent journal under the data directory, synced on
 * every commit; one acceptor for CORE, AMQP and OpenWire clients (plus an optional TLS one); an
 * in-VM acceptor for the node's own routes; users and roles from configuration and anonymous
 * access off.
 *
 * <p>The brokers of one cluster find each other through Hazelcast ({@link HazelcastBroadcast}) and
 * form one Artemis cluster: messages are load-balanced on demand to queues that have consumers,
 * and redistributed at once from a queue that loses its last consumer. With {@code broker.ha}, each
 * broker asks a peer to run a colocated replica of its journal (Artemis's colocated replication);
 * when a node dies, that replica takes over its messages and the cluster delivers them, so nothing
 * waits for the dead node to come back.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  /** The cluster user of the brokers; its password is the cluster credential. */
  public static final String CLUSTER_USER = "alpharen-cluster";
  /** Where messages go after their last failed delivery. */
  public static final String DEAD_LETTER_QUEUE = "DLQ";
  /** Where expired messages go. */
  public static final String EXPIRY_QUEUE = "ExpiryQueue";
  /** Integration messages waiting for their next durable run (scheduled delivery). */
  public static final String RETRY_QUEUE = "alpharen.retry";
  /** Integration messages whose durable runs are exhausted. */
  public static final String INTEGRATION_DEAD_LETTERS = "alpharen.deadletters";
  /** The in-VM address of the node's own broker. */
  public static final String IN_VM_URL = "vm://0";
  /** Addresses Artemis keeps for itself: never bounded, never listed as user queues. */
  static final String INTERNAL_PREFIX = "$.artemis.internal.";

  private final ActiveMQServer server;
  private final String nodeId;
  private final int port;
  private final String clusterPassword;
  private volatile boolean stopped;

  private EmbeddedBroker(ActiveMQServer server, String nodeId, int port, String clusterPassword,
      Duration blockTimeout) {
    this.server = server;
    this.nodeId = nodeId;
    this.port = port;
    this.clusterPassword = clusterPassword;
    this.queueBounds = new BrokerQueueBounds(server, nodeId, blockTimeout);
  }

  /**
   * Starts the broker and waits until it is active.
   *
   * @param settings {@code broker.*}
   * @param nodeId the node's id (the broker's name)
   * @param advertisedHost how other brokers reach this one
   * @param port the acceptor's port (already resolved: not 0)
   * @param dataDir the node's data directory; the journal lives in {@code broker/} below it
   * @param discoveryChannel a {@link HazelcastBroadcast} channel registered for this node
   * @param clusterPassword the cluster credential shared by every broker of the cluster
   */
  public static EmbeddedBroker start(BrokerSection settings, String nodeId, String advertisedHost,
      int port, Path dataDir, String discoveryChannel, String clusterPassword, Duration timeout)
      throws Exception {
    Configuration config = BrokerConfiguration.of(settings, nodeId, advertisedHost, port, dataDir,
        discoveryChannel, clusterPassword);
    ActiveMQJAASSecurityManager security = new ActiveMQJAASSecurityManager(
        InVMLoginModule.class.getName(), BrokerConfiguration.users(settings.users()));
    ActiveMQServer server = new ActiveMQServerImpl(config, security);
    long started = System.nanoTime();
    server.start();
    if (!server.waitForActivation(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      server.stop();
      throw new IllegalStateException("broker did not become active within " + timeout
          + "; see the log above for Artemis's reason");
    }
    log.info("broker {} active in {} ms on {}:{} (CORE, AMQP, OpenWire){}, journal {}", nodeId,
        (System.nanoTime() - started) / 1_000_000, settings.host(), port,
        settings.tlsPort() == 0 ? "" : ", TLS on " + settings.tlsPort(),
        dataDir.resolve("broker"));
    EmbeddedBroker broker = new EmbeddedBroker(server, nodeId, port, clusterPassword,
        settings.blockTimeout());
    if (settings.ha()) {
      server.getScheduledPool().scheduleWithFixedDelay(broker::pruneReplicas, 2, 2,
          TimeUnit.SECONDS);
    }
    return broker;
  }

  /** The Artemis server, for the node's own components (stats, scale-down, routes). */
  public ActiveMQServer server() {
    return server;
  }

  public int port() {
    return port;
  }

  /** The credential the node's own clients use on the in-VM acceptor. */
  public String internalUser() {
    return CLUSTER_USER;
  }

  public String internalPassword() {
    return clusterPassword;
  }

  /**
   * A JMS connection factory for the node's own routes: in-VM (no network), authenticated as the
   * cluster user, connections cached, no producer flow control (a full {@code FAIL} queue refuses
   * at once; at a full {@code BLOCK} queue the route waits in {@link QueueBounds#awaitRoom}, for a
   * bounded time). The node's {@code jms:} and {@code amqp:} components use it, so
   * {@code jms:queue:orders} in an integration needs no configuration.
   */
  public synchronized jakarta.jms.ConnectionFactory connectionFactory() {
    if (connectionFactory == null) {
      org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory inVm =
          new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(IN_VM_URL,
              CLUSTER_USER, clusterPassword);
      // No producer flow control for routes: a full FAIL queue refuses their send at once (an
      // HTTP caller gets 503); Artemis's credits would hold a route at a BLOCK queue for as long
      // as it stays full, so the routes wait for room themselves (awaitRoom), at most
      // broker.blockTimeout.
      inVm.setProducerWindowSize(-1);
      org.springframework.jms.connection.CachingConnectionFactory caching =
          new org.springframework.jms.connection.CachingConnectionFactory(inVm);
      caching.setSessionCacheSize(16);
      // Sessions and producers are cached for sends; consumers are not: a cached consumer stays
      // open on the broker after its route stops (on every update of an integration), and the
      // messages already sent to its buffer would wait there, delivered to nobody.
      caching.setCacheConsumers(false);
      connectionFactory = caching;
    }
    return connectionFactory;
  }

  private jakarta.jms.ConnectionFactory connectionFactory;

  /** The colocated replicas this broker runs for peers, by the name Artemis gives them. */
  public Map<String, ActiveMQServer> backups() {
    return server.getClusterManager() == null || server.getClusterManager().getHAManager() == null
        ? Map.of() : server.getClusterManager().getHAManager().getBackupServers();
  }

  /**
   * Stops the replica this node hosts for the broker {@code brokerId}, if it hosts one that has
   * not taken over: that broker is stopping on purpose and keeps its own journal.
   */
  void stopReplicaOf(String brokerId) {
    Object manager = haManager();
    if (manager == null) {
      return;
    }
    synchronized (manager) {
      Map<String, ActiveMQServer> backups = backups();
      backups.forEach((name, backup) -> {
        if (brokerId.equals(String.valueOf(backup.getNodeID())) && !backup.isActive()) {
          stopReplica(name, backup, "broker " + brokerId + " is stopping on purpose");
        }
      });
      forgetStopped(backups);
    }
  }

  /**
   * Keeps this node's colocated replicas one per primary, and frees the slots of stopped ones.
   * Artemis's colocated HA accepts every backup request and never forgets a replica it started:
   * after a full restart a node can hold stopped replicas (so it refuses new requests) and, worse,
   * two replicas of the same primary, and the cluster then sees one node id twice (AMQ222294,
   * "possible split brain") and its bridges stall. Every 2 s this stops all but one replica per
   * primary (the one in sync, else the newest) and forgets stopped ones. A replica that has taken
   * over (it is active) is never touched.
   */
  void pruneReplicas() {
    Object manager = haManager();
    if (manager == null || stopped) {
      return;
    }
    try {
      synchronized (manager) {
        Map<String, ActiveMQServer> backups = backups();
        long now = System.nanoTime();
        backups.keySet().forEach(name -> replicaSeen.putIfAbsent(name, now));
        replicaSeen.keySet().retainAll(backups.keySet());
        Map<String, List<String>> byPrimary = new HashMap<>();
        backups.forEach((name, backup) -> {
          SimpleString primary = backup.getNodeID();
          if (primary != null && !backup.isActive()
              && backup.getState() != ActiveMQServer.SERVER_STATE.STOPPED
              && !primary.equals(server.getNodeID())) {
            byPrimary.computeIfAbsent(primary.toString(), k -> new ArrayList<>()).add(name);
          }
        });
        byPrimary.forEach((primary, names) -> {
          names.sort(Comparator.comparing((String n) -> !backups.get(n).isReplicaSync())
              .thenComparing(n -> -replicaSeen.getOrDefault(n, 0L)));
          for (String extra : names.subList(1, names.size())) {
            stopReplica(extra, backups.get(extra), "replica " + names.get(0)
                + " already follows broker " + primary);
          }
        });
        forgetStopped(backups);
      }
    } catch (RuntimeException e) {
      log.warn("broker {}: could not check its replicas: {}", nodeId, e.toString());
    }
  }

  /**
   * Forgets stopped replicas, so that their slots can serve new requests, but only where that is
   * safe: Artemis names (and places the journal of) a new replica after the number of replicas
   * it already has, so forgetting {@code colocated_backup_01} while {@code _11} runs would give
   * the next replica the running one's name and journal directory. Such a slot waits until the
   * replica above it has stopped too.
   */
  private void forgetStopped(Map<String, ActiveMQServer> backups) {
    boolean forgot = true;
    while (forgot) {
      forgot = false;
      for (String name : List.copyOf(backups.keySet())) {
        if (backups.get(name).getState() != ActiveMQServer.SERVER_STATE.STOPPED) {
          continue;
        }
        Set<String> rest = new HashSet<>(backups.keySet());
        rest.remove(name);
        if (!rest.contains(REPLICA_NAME + rest.size() + 1)) {
          backups.remove(name);
          log.info("broker {}: forgot stopped replica {}", nodeId, name);
          forgot = true;
          break;
        }
      }
    }
  }

  /** How Artemis's ColocatedHAManager names a replica: this, its count before it, then 1. */
  private static final String REPLICA_NAME = "colocated_backup_";

  private final Map<String, Long> replicaSeen = new ConcurrentHashMap<>();

  private Object haManager() {
    return server.getClusterManager() == null ? null
        : server.getClusterManager().getHAManager();
  }

  private void stopReplica(String name, ActiveMQServer backup, String why) {
    try {
      log.info("broker {}: stopping replica {}: {}", nodeId, name, why);
      backup.stop();
    } catch (Exception e) {
      log.warn("broker {}: could not stop replica {}: {}", nodeId, name, e.toString());
    }
  }

  /** The ids of the brokers this one is connected to in the cluster (not counting itself). */
  public List<String> clusterPeers() {
    List<String> peers = new ArrayList<>();
    server.getClusterManager().getClusterConnections().forEach(cc ->
        cc.getNodes().keySet().forEach(peers::add));
    return peers;
  }

  /**
   * Hands this broker's messages to the rest of the cluster before the node leaves for good:
   * waits (at most {@code timeout}) until redistribution has moved every queued message to
   * consumers on other nodes, then stops. Whatever is still held then (a queue nobody consumes,
   * dead letters) is handed to this broker's replica on a peer, which takes over. Either way the
   * node leaves nothing behind that only it could deliver.
   *
   * @param replica detaches this broker's replica before a stop that needs no take-over
   * @return how many messages were left for the replica (0: the journal was empty)
   */
  public long handOver(Duration timeout, ReplicaStandDown replica) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long movable = heldMessages(false);
    log.info("broker {} handing over: {} message(s) queued here; waiting up to {} for the cluster's"
        + " consumers to take them", nodeId, movable, timeout);
    while (movable > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
      movable = heldMessages(false);
    }
    long left = heldMessages(true);
    stopped = true;
    if (left == 0) {
      log.info("broker {} handed over: journal empty; stopping", nodeId);
      replica.standDown(Duration.ofSeconds(5));
      server.stop();
    } else {
      log.warn("broker {} handing over: {} message(s) still held (no consumer took them within {});"
          + " its replica on a peer takes them over", nodeId, left, timeout);
      server.stop(true, false);
    }
    return left;
  }

  /** Where integrations' own queue bounds take effect on this broker. */
  public QueueBounds queueBounds() {
    return queueBounds;
  }

  private final QueueBounds queueBounds;

  /** Every queue this broker holds locally, Artemis's internal ones included. */
  Stream<Queue> localQueues() {
    return server.getPostOffice().getAllBindings()
        .filter(b -> b instanceof LocalQueueBinding)
        .map(b -> ((LocalQueueBinding) b).getQueue());
  }

  /** Messages held in this broker's queues, in transit to peers included. */
  long heldMessages(boolean withDeadLetters) {
    if (!server.isActive()) {
      return 0;
    }
    return localQueues()
        .filter(q -> q.isDurable() && (withDeadLetters
            || !Set.of(DEAD_LETTER_QUEUE, EXPIRY_QUEUE, INTEGRATION_DEAD_LETTERS)
                .contains(q.getName().toString())))
        .mapToLong(Queue::getMessageCount).sum();
  }

  @Override
  public void close() throws Exception {
    if (!stopped) {
      stopped = true;
      log.info("broker {} stopping", nodeId);
      server.stop();
    }
  }
}

package dev.alpharen.arsrv.broker;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a planned stop from looking like a crash. Artemis's replica of a primary takes over
 * whenever its replication connection closes, a clean stop included; a node that stops on SIGTERM
 * would hand its messages to a peer it is about to come back from, and a rolling or full restart
 * would scatter journals over the cluster. So before a node stops its broker, it asks (over a
 * Hazelcast topic) whichever peer hosts its replica to stop that replica first, and waits until
 * replication has ended. Its messages stay in its own journal for its restart; a crash
 * ({@code kill -9}, power loss) still fails over, as it should.
 */
public final class ReplicaStandDown implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaStandDown.class);
  private static final String TOPIC = "alpharen.broker.standdown";

  private final ITopic<String> topic;
  private final EmbeddedBroker broker;
  private final UUID listener;

  /** Listens for peers' requests and stops the replicas this node hosts for them. */
  public ReplicaStandDown(HazelcastInstance hz, EmbeddedBroker broker) {
    this.topic = hz.getTopic(TOPIC);
    this.broker = broker;
    this.listener = topic.addMessageListener(m -> broker.stopReplicaOf(m.getMessageObject()));
  }

  /**
   * Asks the peer hosting this broker's replica to stop it, and waits (at most {@code timeout})
   * until replication has ended.
   *
   * @return true if no replica is attached any more
   */
  public boolean standDown(Duration timeout) throws InterruptedException {
    if (broker.server().getReplicationManager() == null) {
      return true;
    }
    String brokerId = String.valueOf(broker.server().getNodeID());
    topic.publish(brokerId);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (broker.server().getReplicationManager() != null && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    boolean detached = broker.server().getReplicationManager() == null;
    if (!detached) {
      log.warn("broker replica of {} did not stand down within {}; stopping anyway (it may take"
          + " over until this node is back)", brokerId, timeout);
    }
    return detached;
  }

  @Override
  public void close() {
    try {
      topic.removeMessageListener(listener);
    } catch (RuntimeException e) {
      // The member is gone; so is the listener.
    }
  }
}

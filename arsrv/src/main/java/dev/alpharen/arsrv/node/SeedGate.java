package dev.alpharen.arsrv.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;
import org.slf4j.LoggerFactory;

/**
 * Keeps a starting node not ready while it runs alone although it was given seeds: a node that
 * cannot reach its cluster must not take work as an island. Hazelcast keeps looking for the seeds
 * (its split-brain check re-resolves and retries every 5 s) and the node turns ready as soon as
 * another member joins it or it joins them. A node with no seeds but itself (the default
 * single-node cluster) is ready alone. Gates the start only: a node that has had company stays
 * ready when the others go. Thread-safe.
 */
final class SeedGate implements MembershipListener, AutoCloseable {
  static final String CHECK = "seeds";

  private final HazelcastInstance hazelcast;
  private final Readiness readiness;
  private final String reason;
  private volatile UUID listener;

  private SeedGate(HazelcastInstance hazelcast, Readiness readiness, String reason) {
    this.hazelcast = hazelcast;
    this.readiness = readiness;
    this.reason = reason;
  }

  /**
   * @param seeds the configured seeds other than this node's own address
   * @param dnsName the SRV name the seeds come from, or ""
   */
  static SeedGate open(HazelcastInstance hazelcast, Readiness readiness, List<String> seeds,
      String dnsName, String clusterName) {
    String where = dnsName.isEmpty() ? "seeds " + String.join(", ", seeds)
        : "seeds of SRV name " + dnsName + (seeds.isEmpty() ? "" : " and " + String.join(", ", seeds));
    SeedGate gate = new SeedGate(hazelcast, readiness, "running alone: none of the " + where
        + " has answered as a member of cluster '" + clusterName + "' yet; retrying every 5 s"
        + " (check that they run and use the same cluster.name)");
    if (seeds.isEmpty() && dnsName.isEmpty()) {
      readiness.ready(CHECK);
      return gate;
    }
    gate.listener = hazelcast.getCluster().addMembershipListener(gate);
    gate.evaluate();
    return gate;
  }

  private void evaluate() {
    if (hazelcast.getCluster().getMembers().size() > 1) {
      if (!readiness.isReady(CHECK)) {
        readiness.ready(CHECK);
        LoggerFactory.getLogger(SeedGate.class).info("joined cluster with {} members; the seed"
            + " check is ready", hazelcast.getCluster().getMembers().size());
      }
      close();
    } else if (!readiness.isReady(CHECK)) {
      readiness.notReady(CHECK, reason);
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    evaluate();
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    // only company gained matters: the gate guards the start
  }

  @Override
  public void close() {
    UUID id = listener;
    if (id != null && hazelcast.getLifecycleService().isRunning()) {
      listener = null;
      hazelcast.getCluster().removeMembershipListener(id);
    }
  }
}

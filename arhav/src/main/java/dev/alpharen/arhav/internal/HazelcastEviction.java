package dev.alpharen.arhav.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import java.util.UUID;

/**
 * Hands ARHAV's DEAD verdict to Hazelcast as a suspicion of the member, as its own heartbeat
 * detector would: the master removes a suspected member at once, and a suspected master makes the
 * others claim mastership. Hazelcast has no public call for this; this class is the one place that
 * reaches into its internals. Thread-safe.
 */
public final class HazelcastEviction {
  private HazelcastEviction() {}

  /** Suspects the member with this UUID; false if it is no longer a member. */
  public static boolean suspect(HazelcastInstance hazelcast, UUID member, String reason) {
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (m.getUuid().equals(member) && !m.localMember()) {
        HazelcastInstanceImpl original = ((HazelcastInstanceProxy) hazelcast).getOriginal();
        original.node.getClusterService().suspectMember(m, reason, true);
        return true;
      }
    }
    return false;
  }
}

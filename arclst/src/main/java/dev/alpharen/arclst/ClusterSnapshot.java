package dev.alpharen.arclst;

import java.util.List;
import java.util.Optional;

/**
 * Who is in the cluster at one moment, oldest member first. Immutable.
 *
 * @param name the cluster name
 * @param coordinator the id of the oldest member, which takes the once-per-cluster duties
 * @param members every member, oldest first
 */
public record ClusterSnapshot(String name, String coordinator, List<MemberInfo> members) {
  public ClusterSnapshot {
    members = List.copyOf(members);
  }

  /** The member with this node id, if it is in the cluster. */
  public Optional<MemberInfo> member(String id) {
    return members.stream().filter(m -> m.id().equals(id)).findFirst();
  }
}

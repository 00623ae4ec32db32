package dev.alpharen.arsrv.runtime;

import java.util.Objects;

/**
 * The holder of one singleton namespace as kept in the Hazelcast map: node, member UUID, the
 * fencing term (one more on every change of holder) and a beat counter the holder raises on every
 * renewal, so others can tell a live lease from a stale one by watching it change. Encoded as a
 * plain string so that compare-and-set compares exactly what was read. Immutable.
 */
record Lease(String nodeId, String member, long term, long beat) {
  private static final String VACANT = "-";

  Lease {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(member, "member");
    if (nodeId.contains("|") || member.contains("|")) {
      throw new IllegalArgumentException("lease fields must not contain '|': " + nodeId + ", "
          + member);
    }
  }

  String encode() {
    return nodeId + "|" + member + "|" + term + "|" + beat;
  }

  /** @throws IllegalArgumentException if {@code text} is not an encoded lease */
  static Lease decode(String text) {
    String[] parts = text.split("\\|");
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a lease: '" + text + "'");
    }
    return new Lease(parts[0], parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
  }

  /** The lease a holder leaves when it gives up: nobody holds it, the term stays. */
  static Lease vacant(long term) {
    return new Lease(VACANT, VACANT, term, 0);
  }

  boolean isVacant() {
    return nodeId.equals(VACANT);
  }

  Lease renewed() {
    return new Lease(nodeId, member, term, beat + 1);
  }
}

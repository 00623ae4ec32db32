package dev.alpharen.arhav;

/** What this node's failure detector thinks of a peer. */
public enum Health {
  /** Answers its probes. */
  ALIVE,
  /** Silent past the suspicion deadline, also to probes through other members; no new work. */
  SUSPECT,
  /** Silent past the removal deadline; removed from the cluster. */
  DEAD
}

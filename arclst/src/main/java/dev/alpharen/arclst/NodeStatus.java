package dev.alpharen.arclst;

/** Where a node is in its life as a cluster member. */
public enum NodeStatus {
  /** In the cluster, not yet ready: still receiving the cluster's state or starting its roles. */
  JOINING,
  /** Taking work. */
  ACTIVE,
  /** Handing its work over and finishing what is in flight; takes no new work. */
  DRAINING,
  /** Done; about to leave the cluster. */
  LEAVING
}

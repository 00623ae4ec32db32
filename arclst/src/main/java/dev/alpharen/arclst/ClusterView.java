package dev.alpharen.arclst;

/** Read access to the current cluster membership; implementations are thread-safe. */
public interface ClusterView {
  /** The members as of now; a new immutable snapshot each call. */
  ClusterSnapshot snapshot();
}

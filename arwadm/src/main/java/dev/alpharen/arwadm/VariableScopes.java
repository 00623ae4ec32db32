package dev.alpharen.arwadm;

import dev.alpharen.arclst.Variables;
import java.util.Objects;

/**
 * The two scopes of shared variables the API serves. Immutable.
 *
 * @param cluster variables every node sees
 * @param node this node's own variables
 */
public record VariableScopes(Variables cluster, Variables node) {
  public VariableScopes {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
  }
}

/**
 * ARCLST, the cluster every node of a LAN belongs to. Each node embeds one Hazelcast member;
 * this package is what other modules may use of it: {@link dev.alpharen.arclst.ClusterMember} starts
 * and stops the member, {@link dev.alpharen.arclst.ClusterView} gives an immutable snapshot of who is
 * in the cluster. Membership, partitioning and merging are Hazelcast's own; ARCLST adds the node
 * identity every member publishes and, in later steps, the node directory, the versioned registry,
 * shared variables and cluster events.
 */
package dev.alpharen.arclst;

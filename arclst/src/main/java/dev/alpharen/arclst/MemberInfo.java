package dev.alpharen.arclst;

/**
 * One member of the cluster as every node sees it. Immutable.
 *
 * @param id the node id the member published
 * @param address the member's cluster address, {@code host:port}
 * @param http the base URL of the node's HTTP server, or "" if it has none
 * @param local whether this is the member of the node that took the snapshot
 */
public record MemberInfo(String id, String address, String http, boolean local) {}

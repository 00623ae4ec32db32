/**
 * ARHAV, high availability: discovery of cluster members (multicast, static list, DNS SRV), fast
 * failure detection on top of Hazelcast's own, round-trip-time probing of every peer and the
 * RTT-ordered choice of the node that should serve next, plus the internal DNS server and the
 * registry of federated clusters. Its logic runs on every node; the cluster coordinator (the
 * oldest Hazelcast member) takes the once-per-cluster duties. This module builds on ARCLST.
 */
package dev.alpharen.arhav;

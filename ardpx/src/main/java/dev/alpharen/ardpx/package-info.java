/**
 * ARDPX, the access and distribution proxy: an Undertow reverse proxy that terminates TLS at the
 * edge and sends each outside request to a healthy node of the cluster, nearest first, as chosen
 * by ARHAV. It runs inside a node (role {@code ardpx}) or alone as a Hazelcast lite member.
 */
package dev.alpharen.ardpx;

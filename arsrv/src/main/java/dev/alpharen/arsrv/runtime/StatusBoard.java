package dev.alpharen.arsrv.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where every node publishes the state of each integration on it, for the API: the replicated map
 * {@value #MAP}, one entry per node id holding a JSON object {@code {integration: {"state",
 * "version", "error"?, "leader"?}}}. A node rewrites its entry only when something changed, and
 * withdraws it when it stops; readers keep only the nodes that are members. Thread-safe.
 */
final class StatusBoard implements AutoCloseable {
  static final String MAP = "alpharen.integration-status";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Map<String, Object>>> SHAPE =
      new TypeReference<>() {};

  private final ReplicatedMap<String, String> map;
  private final String nodeId;
  private volatile String published;

  StatusBoard(HazelcastInstance hazelcast, String nodeId) {
    this.map = hazelcast.getReplicatedMap(MAP);
    this.nodeId = nodeId;
  }

  /** Publishes this node's states, if they differ from what it published last. */
  void publish(Map<String, Map<String, Object>> states) {
    try {
      String json = JSON.writeValueAsString(states);
      if (!Objects.equals(json, published)) {
        map.put(nodeId, json);
        published = json;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("integration states are not serializable", e);
    }
  }

  /** Every node's states, by node id. */
  Map<String, Map<String, Map<String, Object>>> read() {
    Map<String, Map<String, Map<String, Object>>> all = new LinkedHashMap<>();
    map.forEach((node, json) -> {
      try {
        all.put(node, JSON.readValue(json, SHAPE));
      } catch (IOException e) {
        all.put(node, Map.of());
      }
    });
    return all;
  }

  @Override
  public void close() {
    try {
      map.remove(nodeId);
    } catch (RuntimeException e) {
      // the member is already gone; the others drop this node as it is no member
    }
  }
}

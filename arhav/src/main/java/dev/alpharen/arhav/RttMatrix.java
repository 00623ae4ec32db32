package dev.alpharen.arhav;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster-wide RTT matrix: every node publishes its own row (peer → microseconds) into a
 * replicated map, so any node can answer for all. Thread-safe.
 */
final class RttMatrix {
  private static final String MAP = "alpharen.rtt";

  private final ReplicatedMap<String, HashMap<String, Long>> rows;

  RttMatrix(HazelcastInstance hazelcast) {
    this.rows = hazelcast.getReplicatedMap(MAP);
  }

  void publish(String node, Map<String, Long> row) {
    rows.put(node, new HashMap<>(row));
  }

  void remove(String node) {
    try {
      rows.remove(node);
    } catch (RuntimeException e) {
      // the member is already gone; its row goes with the next publish round of the others
    }
  }

  Map<String, Map<String, Long>> read() {
    Map<String, Map<String, Long>> matrix = new TreeMap<>();
    rows.forEach((from, row) -> matrix.put(from, new TreeMap<>(row)));
    return matrix;
  }
}

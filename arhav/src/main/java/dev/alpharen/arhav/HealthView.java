package dev.alpharen.arhav;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What this node's failure detector and RTT meter know; implementations are thread-safe. */
public interface HealthView {
  /** This node's verdict on a node; ALIVE for itself. */
  Health health(String nodeId);

  /** Since when the node has its current health, if this node tracks it. */
  Optional<Instant> since(String nodeId);

  /** The most recent health transitions seen by this node, oldest first. */
  List<HealthEvent> events();

  /** Every node's published RTT row: from → to → microseconds. */
  Map<String, Map<String, Long>> rttMatrix();
}

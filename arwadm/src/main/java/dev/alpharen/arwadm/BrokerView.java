package dev.alpharen.arwadm;

import java.util.List;
import java.util.Map;

/** What the admin API shows of this node's message broker (implemented by ARSRV). */
public interface BrokerView {
  /** The broker's state: node, active, cluster peers, replication, colocated backups. */
  Map<String, Object> status();

  /**
   * This node's queues, each with depth, bound, rates and oldest message age, ordered by name.
   */
  List<Map<String, Object>> queues();
}

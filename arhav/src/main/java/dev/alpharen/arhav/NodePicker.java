package dev.alpharen.arhav;

import dev.alpharen.arclst.MemberInfo;
import java.time.Duration;
import java.util.List;

/**
 * Chooses which node should serve next: ACTIVE nodes this node's failure detector holds ALIVE,
 * nearest and least loaded first. One API for ARDPX, the internal DNS server and the choice of a
 * remote LAN's gateway. Implementations are thread-safe.
 */
public interface NodePicker {
  /** The nodes that may serve now, best first; empty when none can. */
  List<MemberInfo> candidates();

  /** Records that a request to {@code nodeId} starts; finish the returned call when it ends. */
  Call begin(String nodeId);

  /** Feeds a latency measured to a node outside of requests (RTT probes). */
  void observe(String nodeId, Duration latency);

  /** A request in flight to one node. */
  interface Call {
    /** The request ended after {@code latency} (failed requests count with their time too). */
    void done(Duration latency);
  }
}

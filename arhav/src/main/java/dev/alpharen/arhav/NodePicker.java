package dev.alpharen.arhav;

import dev.alpharen.arclst.MemberInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses which node should serve next: ACTIVE nodes this node's failure detector holds ALIVE,
 * nearest and least loaded first. One API for ARDPX, the internal DNS server and the choice of a
 * remote LAN's gateway. Implementations are thread-safe.
 */
public interface NodePicker {
  /** The nodes that may serve now, best first; empty when none can. */
  List<MemberInfo> candidates();

  /**
   * The best node that {@code allowed} accepts, as the first of {@link #candidates()} it accepts
   * would be; empty when none. For a choice per request: implementations make it cheaper than
   * ordering every candidate.
   */
  default Optional<MemberInfo> best(Predicate<MemberInfo> allowed) {
    for (MemberInfo m : candidates()) {
      if (allowed.test(m)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Records that a request to {@code nodeId} starts; finish the returned call when it ends. */
  Call begin(String nodeId);

  /** Feeds a latency measured to a node outside of requests (RTT probes). */
  void observe(String nodeId, Duration latency);

  /** A request in flight to one node. */
  interface Call {
    /** The request ended after {@code latency} (failed requests count with their time too). */
    void done(Duration latency);

    /** {@link #done(Duration)} with the latency in nanoseconds. */
    default void done(long latencyNanos) {
      done(Duration.ofNanos(latencyNanos));
    }
  }
}

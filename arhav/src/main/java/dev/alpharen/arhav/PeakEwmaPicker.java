package dev.alpharen.arhav;

import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.rtt.PeakEwma;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Orders nodes by peak-EWMA latency × (requests in flight + 1), fed by RTT probes and by the
 * latency of real requests: a node that turns slow is avoided at once and trusted again slowly,
 * and a busy node yields to an idle one. Nodes not measured yet count as the median of the
 * measured ones, so a newly joined node gets tried. Thread-safe.
 */
public final class PeakEwmaPicker implements NodePicker {
  private final ClusterView cluster;
  private final Function<String, Health> health;
  private final Duration decay;
  private final LongSupplier nanoClock;
  private final Map<String, PeakEwma> latencies = new ConcurrentHashMap<>();

  /**
   * @param cluster the members and their status
   * @param health this node's failure detector's verdict per node id
   * @param decay how fast a latency peak fades
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public PeakEwmaPicker(ClusterView cluster, Function<String, Health> health, Duration decay,
      LongSupplier nanoClock) {
    this.cluster = cluster;
    this.health = health;
    this.decay = decay;
    this.nanoClock = nanoClock;
  }

  @Override
  public List<MemberInfo> candidates() {
    List<MemberInfo> usable = new ArrayList<>();
    for (MemberInfo m : cluster.snapshot().members()) {
      if (m.node().status() == NodeStatus.ACTIVE && health.apply(m.id()) == Health.ALIVE) {
        usable.add(m);
      }
    }
    double fallback = medianEstimate(usable);
    usable.sort(Comparator.comparingDouble((MemberInfo m) -> cost(m.id(), fallback))
        .thenComparing(MemberInfo::id));
    return usable;
  }

  @Override
  public Call begin(String nodeId) {
    PeakEwma ewma = ewma(nodeId);
    ewma.begin();
    return latency -> {
      ewma.end();
      ewma.observe(latency, nanoClock.getAsLong());
    };
  }

  @Override
  public void observe(String nodeId, Duration latency) {
    ewma(nodeId).observe(latency, nanoClock.getAsLong());
  }

  /** The latency estimate for a node, if it was measured. */
  public Duration estimate(String nodeId) {
    PeakEwma ewma = latencies.get(nodeId);
    return ewma == null ? Duration.ZERO : ewma.estimate();
  }

  private PeakEwma ewma(String nodeId) {
    return latencies.computeIfAbsent(nodeId, id -> new PeakEwma(decay));
  }

  private double cost(String nodeId, double fallbackNanos) {
    PeakEwma ewma = latencies.get(nodeId);
    if (ewma == null) {
      return fallbackNanos;
    }
    return ewma.measured() ? ewma.cost() : fallbackNanos * (ewma.inFlight() + 1);
  }

  private double medianEstimate(List<MemberInfo> members) {
    double[] measured = members.stream().map(m -> latencies.get(m.id()))
        .filter(e -> e != null && e.measured())
        .mapToDouble(e -> e.estimate().toNanos()).sorted().toArray();
    return measured.length == 0 ? 0 : measured[measured.length / 2];
  }
}

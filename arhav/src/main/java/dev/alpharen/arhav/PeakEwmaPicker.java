package dev.alpharen.arhav;

import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeStatus;
import dev.alpharen.arhav.rtt.PeakEwma;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Orders nodes by peak-EWMA latency × (requests in flight + 1), fed by RTT probes and by the
 * latency of real requests: a node that turns slow is avoided at once and trusted again slowly,
 * and a busy node yields to an idle one. Nodes not measured yet count as the median of the
 * measured ones, so a newly joined node gets tried. Ties go to the lower node id.
 *
 * <p>A node whose latency is an outlier — its average latency (without the peak, so that one slow
 * answer does not make an outlier) more than 4× the fastest node's and more than
 * {@code OUTLIER_MARGIN} (10 ms) above it — comes after every other node however idle
 * it is: the in-flight factor would otherwise send it a share of the requests whenever the fast
 * nodes queue, and each of those requests would be slow. It still gets one request every
 * {@code PROBE_INTERVAL} (250 ms) from {@link #best}, so that its estimate follows when it
 * recovers, and it takes requests again once the others' latency rises toward its own.
 *
 * <p>Which nodes may serve (ACTIVE in the cluster view, ALIVE to the failure detector) is read
 * at most once per {@code refresh} and kept as an immutable array, so that {@link #best} — called
 * for every proxied request — is one pass over that array with no lock and no allocation.
 * Thread-safe.
 */
public final class PeakEwmaPicker implements NodePicker {
  private static final double OUTLIER_RATIO = 4;
  private static final long OUTLIER_MARGIN_NANOS = Duration.ofMillis(10).toNanos();
  private static final long PROBE_INTERVAL_NANOS = Duration.ofMillis(250).toNanos();

  private final ClusterView cluster;
  private final Function<String, Health> health;
  private final Duration decay;
  private final long refreshNanos;
  private final LongSupplier nanoClock;
  private final Map<String, PeakEwma> latencies = new ConcurrentHashMap<>();
  private final AtomicReference<Usable> usable = new AtomicReference<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();

  /**
   * @param cluster the members and their status
   * @param health this node's failure detector's verdict per node id
   * @param decay how fast a latency peak fades
   * @param refresh how long a reading of {@code cluster} and {@code health} is used before the
   *     next; {@link Duration#ZERO} reads them on every choice
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public PeakEwmaPicker(ClusterView cluster, Function<String, Health> health, Duration decay,
      Duration refresh, LongSupplier nanoClock) {
    if (refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must be 0 or more, was " + refresh);
    }
    this.cluster = cluster;
    this.health = health;
    this.decay = decay;
    this.refreshNanos = refresh.toNanos();
    this.nanoClock = nanoClock;
  }

  @Override
  public List<MemberInfo> candidates() {
    Usable u = usable();
    double fallback = medianEstimate(u);
    double fastest = fastest(u, m -> true);
    Integer[] order = new Integer[u.members.length];
    Arrays.setAll(order, i -> i);
    // Stable sort over members already in id order: equal costs keep the lower id first.
    Arrays.sort(order, Comparator.comparing((Integer i) -> outlier(u.ewmas[i], fastest))
        .thenComparingDouble(i -> cost(u.ewmas[i], fallback)));
    List<MemberInfo> sorted = new ArrayList<>(order.length);
    for (int i : order) {
      sorted.add(u.members[i]);
    }
    return sorted;
  }

  @Override
  public Optional<MemberInfo> best(Predicate<MemberInfo> allowed) {
    Usable u = usable();
    double fastest = fastest(u, allowed);
    double fallback = -1; // the median, computed only if an unmeasured node is met
    int best = -1;
    int probe = -1;
    double bestCost = Double.POSITIVE_INFINITY;
    long now = nanoClock.getAsLong();
    for (int i = 0; i < u.members.length; i++) {
      if (!allowed.test(u.members[i])) {
        continue;
      }
      PeakEwma ewma = u.ewmas[i];
      if (outlier(ewma, fastest)) {
        if (probe < 0 && now - ewma.lastBeginNanos(u.readAtNanos) >= PROBE_INTERVAL_NANOS) {
          probe = i;
        }
        continue;
      }
      if (!ewma.measured() && fallback < 0) {
        fallback = medianEstimate(u);
      }
      double cost = cost(ewma, fallback);
      if (best < 0 || cost < bestCost) {
        best = i;
        bestCost = cost;
      }
    }
    if (probe >= 0 && u.ewmas[probe].claimProbe(now, PROBE_INTERVAL_NANOS)) {
      return Optional.of(u.members[probe]);
    }
    return best < 0 ? Optional.empty() : Optional.of(u.members[best]);
  }

  @Override
  public Call begin(String nodeId) {
    PeakEwma ewma = ewma(nodeId);
    ewma.begin(nanoClock.getAsLong());
    return new Call() {
      @Override
      public void done(Duration latency) {
        done(latency.toNanos());
      }

      @Override
      public void done(long latencyNanos) {
        ewma.end();
        ewma.observeNanos(latencyNanos, nanoClock.getAsLong());
      }
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

  /** The nodes that may serve, read anew once the last reading is {@code refresh} old. */
  private Usable usable() {
    Usable u = usable.get();
    long now = nanoClock.getAsLong();
    if (u == null || now - u.readAtNanos >= refreshNanos) {
      // One caller reads; the others go on with the last reading meanwhile.
      if (u == null || refreshing.compareAndSet(false, true)) {
        try {
          u = read(now);
          usable.set(u);
        } finally {
          refreshing.set(false);
        }
      }
    }
    return u;
  }

  private Usable read(long now) {
    List<MemberInfo> members = new ArrayList<>();
    for (MemberInfo m : cluster.snapshot().members()) {
      if (m.node().status() == NodeStatus.ACTIVE && health.apply(m.id()) == Health.ALIVE) {
        members.add(m);
      }
    }
    members.sort(Comparator.comparing(MemberInfo::id));
    PeakEwma[] ewmas = new PeakEwma[members.size()];
    for (int i = 0; i < ewmas.length; i++) {
      ewmas[i] = ewma(members.get(i).id());
    }
    return new Usable(now, members.toArray(MemberInfo[]::new), ewmas);
  }

  /** The lowest measured average latency among the allowed nodes; infinite when none. */
  private static double fastest(Usable u, Predicate<MemberInfo> allowed) {
    double fastest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < u.members.length; i++) {
      if (u.ewmas[i].measured() && allowed.test(u.members[i])) {
        fastest = Math.min(fastest, u.ewmas[i].meanNanos());
      }
    }
    return fastest;
  }

  private static boolean outlier(PeakEwma ewma, double fastestNanos) {
    if (!ewma.measured() || Double.isInfinite(fastestNanos)) {
      return false;
    }
    double mean = ewma.meanNanos();
    return mean > OUTLIER_RATIO * fastestNanos && mean - fastestNanos > OUTLIER_MARGIN_NANOS;
  }

  private static double cost(PeakEwma ewma, double fallbackNanos) {
    return ewma.measured() ? ewma.cost() : fallbackNanos * (ewma.inFlight() + 1);
  }

  private static double medianEstimate(Usable u) {
    double[] measured = new double[u.ewmas.length];
    int n = 0;
    for (PeakEwma e : u.ewmas) {
      if (e.measured()) {
        measured[n++] = e.estimateNanos();
      }
    }
    if (n == 0) {
      return 0;
    }
    Arrays.sort(measured, 0, n);
    return measured[n / 2];
  }

  /** The nodes that may serve, in id order, each with its estimate; never modified. */
  private record Usable(long readAtNanos, MemberInfo[] members, PeakEwma[] ewmas) {}
}

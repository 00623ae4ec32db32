package dev.alpharen.arsrv.runtime;

import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects the one node that runs a singleton namespace, with a lease in a Hazelcast map and no CP
 * subsystem. The holder renews by compare-and-set every tick; it counts itself leader only for
 * {@code hold} after the start of its last successful renewal, by its own monotonic clock. Another
 * node takes over, by compare-and-set with the next fencing term, only once it has seen the lease
 * unchanged for {@code takeover} (longer than {@code hold}) by its own clock, or for
 * {@code takeoverGone} (still longer than {@code hold}) when the holder has left the membership. So
 * a holder that froze or lost the cluster has stopped counting itself leader before anyone else may
 * start; a holder that did not run for longer than {@code hold} stays out for {@code quarantine},
 * long enough for Hazelcast to evict and merge it back rather than let it lead a cluster of its
 * own. Only {@code eligible} nodes (ready: not starting, draining, rejoining after a freeze, or
 * stopping) hold it; one that stops being eligible gives it back at once. Not thread-safe: {@link #runOnce(long)} runs on one
 * thread; {@link #isLeader(long)} and {@link #holder()} may be read from any.
 */
final class LeaseElector {
  private static final Logger log = LoggerFactory.getLogger(LeaseElector.class);

  /** Timings; see the class comment. */
  record Timings(Duration hold, Duration takeover, Duration takeoverGone, Duration quarantine) {
    Timings {
      if (takeover.compareTo(hold) <= 0 || takeoverGone.compareTo(hold) <= 0) {
        throw new IllegalArgumentException("takeover (" + takeover.toMillis() + " ms) and"
            + " takeoverGone (" + takeoverGone.toMillis() + " ms) must be longer than hold ("
            + hold.toMillis() + " ms), or two nodes could lead at once");
      }
    }

    /** Hold 1 s, take over after 2 s unchanged (1.2 s once the holder left), quarantine 10 s. */
    static Timings defaults() {
      return new Timings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(1200),
          Duration.ofSeconds(10));
    }
  }

  private final String namespace;
  private final IMap<String, String> leases;
  private final String nodeId;
  private final String member;
  private final BooleanSupplier eligible;
  private final Predicate<String> isMember;
  private final Timings timings;

  private volatile Lease held;
  private volatile long renewedAtNanos;
  private volatile Lease seen;
  private long seenChangedNanos;
  private long lastRunNanos;
  private long quarantineUntilNanos;
  private boolean ran;

  /**
   * @param leases the map of leases, keyed by namespace
   * @param member this member's UUID, which tells a lease of this run from one of an earlier run
   * @param isMember whether a member UUID is in this member's current view of the cluster
   */
  LeaseElector(String namespace, IMap<String, String> leases, String nodeId, String member,
      BooleanSupplier eligible, Predicate<String> isMember, Timings timings) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.leases = leases;
    this.nodeId = nodeId;
    this.member = member;
    this.eligible = eligible;
    this.isMember = isMember;
    this.timings = timings;
  }

  /** Whether this node leads at {@code nowNanos} ({@link System#nanoTime()} scale). */
  boolean isLeader(long nowNanos) {
    return term(nowNanos).isPresent();
  }

  /**
   * The fencing term this node leads in at {@code nowNanos}, or empty when it does not lead. Terms
   * rise with every change of holder, so a step that passes the term on lets a target refuse
   * writes of an earlier holder.
   */
  OptionalLong term(long nowNanos) {
    Lease mine = held;
    return mine != null && nowNanos - renewedAtNanos < timings.hold().toNanos()
        ? OptionalLong.of(mine.term()) : OptionalLong.empty();
  }

  /** The lease last seen in the map: who leads, in which term. */
  Optional<Lease> holder() {
    Lease h = held != null ? held : seen;
    return h == null || h.isVacant() ? Optional.empty() : Optional.of(h);
  }

  /** One step: renew, give back, or take over; {@code nowNanos} is {@link System#nanoTime()}. */
  void runOnce(long nowNanos) {
    if (held != null && ran && nowNanos - lastRunNanos > timings.hold().toNanos()) {
      // The holder did not run for longer than a lease holds (frozen, or stuck on a call): others
      // may lead by now, and if it was evicted its own part of the map would still say it leads.
      quarantineUntilNanos = nowNanos + timings.quarantine().toNanos();
      log.warn("singleton {}: node {} did not run for {} ms (lease holds {} ms); giving up term {}"
          + " and staying out for {} ms", namespace, nodeId, (nowNanos - lastRunNanos) / 1_000_000,
          timings.hold().toMillis(), held.term(), timings.quarantine().toMillis());
      // vacate it, so that others need not wait for it to go stale; on an island of its own the
      // write lands in the island's copy, which the merge discards
      release();
    }
    ran = true;
    lastRunNanos = nowNanos;
    Lease current = read();
    if (!Objects.equals(current, seen)) {
      seen = current;
      seenChangedNanos = nowNanos;
    }
    if (held != null) {
      renewOrRelease(nowNanos, current);
    } else if (eligible.getAsBoolean() && nowNanos >= quarantineUntilNanos) {
      tryAcquire(nowNanos, current);
    }
  }

  /** Gives the lease back if this node holds it (on stop); others take over at once. */
  void release() {
    Lease mine = held;
    held = null;
    if (mine != null) {
      // a vacant lease keeps the term, so that terms never repeat
      leases.replace(namespace, mine.encode(), Lease.vacant(mine.term()).encode());
      log.info("singleton {}: node {} gave up term {}", namespace, nodeId, mine.term());
    }
  }

  private void renewOrRelease(long nowNanos, Lease current) {
    Lease mine = held;
    if (!eligible.getAsBoolean()) {
      release();
      return;
    }
    Lease next = mine.renewed();
    if (mine.equals(current) && leases.replace(namespace, mine.encode(), next.encode())) {
      held = next;
      renewedAtNanos = nowNanos;
      seen = next;
      seenChangedNanos = nowNanos;
    } else {
      held = null;
      log.warn("singleton {}: node {} lost term {} to {}", namespace, nodeId, mine.term(),
          current == null ? "nobody" : current.nodeId() + " (term " + current.term() + ")");
    }
  }

  private void tryAcquire(long nowNanos, Lease current) {
    Lease next;
    boolean won;
    if (current == null) {
      next = new Lease(nodeId, member, 1, 0);
      won = leases.putIfAbsent(namespace, next.encode()) == null;
    } else if (current.isVacant()) {
      next = new Lease(nodeId, member, current.term() + 1, 0);
      won = leases.replace(namespace, current.encode(), next.encode());
    } else {
      long unchanged = nowNanos - seenChangedNanos;
      boolean stale = unchanged >= timings.takeover().toNanos()
          || !isMember.test(current.member()) && unchanged >= timings.takeoverGone().toNanos();
      if (!stale) {
        return;
      }
      next = new Lease(nodeId, member, current.term() + 1, 0);
      won = leases.replace(namespace, current.encode(), next.encode());
    }
    if (won) {
      held = next;
      renewedAtNanos = nowNanos;
      seen = next;
      seenChangedNanos = nowNanos;
      log.info("singleton {}: node {} leads in term {}{}", namespace, nodeId, next.term(),
          current == null ? "" : " (after " + current.nodeId() + ", term " + current.term() + ")");
    }
  }

  private Lease read() {
    String text = leases.get(namespace);
    if (text == null) {
      return null;
    }
    try {
      return Lease.decode(text);
    } catch (IllegalArgumentException e) {
      log.warn("singleton {}: ignoring malformed lease '{}'", namespace, text);
      return null;
    }
  }
}

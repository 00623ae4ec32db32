package dev.alpharen.arclst;

import dev.alpharen.arclst.internal.NameRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Variables of this node only, in memory; expiry follows the injected clock. Expired variables
 * vanish when read and in {@link #runOnce()}, which the node calls periodically so that
 * variables nobody reads do not pile up. Thread-safe.
 */
public final class NodeVariables implements Variables {
  /** A value and the instant it expires at, or null for never. */
  private record Slot(String value, Instant expiresAt) {
    boolean expiredAt(Instant now) {
      return expiresAt != null && !now.isBefore(expiresAt);
    }
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final Clock clock;

  public NodeVariables(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void set(String name, String value) {
    NameRules.check("variable name", name);
    slots.put(name, new Slot(Objects.requireNonNull(value, "value"), null));
  }

  @Override
  public void set(String name, String value, Duration ttl) {
    NameRules.check("variable name", name);
    Objects.requireNonNull(value, "value");
    NameRules.checkTtl(name, ttl);
    slots.put(name, new Slot(value, clock.instant().plus(ttl)));
  }

  @Override
  public Optional<String> get(String name) {
    Objects.requireNonNull(name, "name");
    Slot slot = slots.get(name);
    if (slot == null) {
      return Optional.empty();
    }
    if (slot.expiredAt(clock.instant())) {
      slots.remove(name, slot); // only this slot: a concurrent set stays
      return Optional.empty();
    }
    return Optional.of(slot.value());
  }

  @Override
  public boolean remove(String name) {
    Slot removed = slots.remove(Objects.requireNonNull(name, "name"));
    return removed != null && !removed.expiredAt(clock.instant());
  }

  @Override
  public Map<String, String> snapshot() {
    Instant now = clock.instant();
    SortedMap<String, String> live = new TreeMap<>();
    slots.forEach((name, slot) -> {
      if (!slot.expiredAt(now)) {
        live.put(name, slot.value());
      }
    });
    return Collections.unmodifiableSortedMap(live);
  }

  /** Removes every expired variable; returns how many. */
  public int runOnce() {
    Instant now = clock.instant();
    int purged = 0;
    for (Map.Entry<String, Slot> entry : slots.entrySet()) {
      if (entry.getValue().expiredAt(now) && slots.remove(entry.getKey(), entry.getValue())) {
        purged++;
      }
    }
    return purged;
  }
}

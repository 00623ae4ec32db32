package dev.alpharen.arclst;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.alpharen.arclst.internal.NameRules;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Variables shared by the whole cluster, kept in the Hazelcast map {@code alpharen.variables}: a
 * value set on one node is seen by all. Thread-safe.
 *
 * <p>Expiry is Hazelcast's own per-entry TTL, measured by the members' system clocks in whole
 * milliseconds (a shorter TTL counts as 1 ms). Values live in memory only: they survive members
 * leaving but not a restart of the whole cluster.
 */
public final class ClusterVariables implements Variables {
  /** The name of the Hazelcast map holding the variables. */
  public static final String MAP = "alpharen.variables";

  private final IMap<String, String> map;

  public ClusterVariables(HazelcastInstance hazelcast) {
    this.map = Objects.requireNonNull(hazelcast, "hazelcast").getMap(MAP);
  }

  @Override
  public void set(String name, String value) {
    NameRules.check("variable name", name);
    // TTL 0 is "never expires" and replaces a TTL the entry had
    map.set(name, Objects.requireNonNull(value, "value"), 0, TimeUnit.MILLISECONDS);
  }

  @Override
  public void set(String name, String value, Duration ttl) {
    NameRules.check("variable name", name);
    Objects.requireNonNull(value, "value");
    long ttlMs = Math.max(1, NameRules.checkTtl(name, ttl).plusNanos(999_999).toMillis());
    map.set(name, value, ttlMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<String> get(String name) {
    return Optional.ofNullable(map.get(Objects.requireNonNull(name, "name")));
  }

  @Override
  public boolean remove(String name) {
    return map.remove(Objects.requireNonNull(name, "name")) != null;
  }

  @Override
  public Map<String, String> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(map));
  }
}

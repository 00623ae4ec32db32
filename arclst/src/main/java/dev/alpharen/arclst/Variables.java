package dev.alpharen.arclst;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Named string variables ("memories") that routes and activities keep between runs, optionally
 * expiring after a time-to-live. Implementations are thread-safe.
 *
 * <p>Names are 1-200 characters without control characters; a TTL must be positive. Setting a
 * name again replaces its value and its TTL (none when set without one).
 */
public interface Variables {
  /** Sets {@code name} to {@code value}, with no expiry. */
  void set(String name, String value);

  /** Sets {@code name} to {@code value}; it vanishes once {@code ttl} has passed. */
  void set(String name, String value, Duration ttl);

  /** The value of {@code name}; empty if never set, removed or expired. */
  Optional<String> get(String name);

  /** Removes {@code name}; returns whether it had a (not expired) value. */
  boolean remove(String name);

  /** Every variable that has a value now, sorted by name; an immutable copy. */
  Map<String, String> snapshot();
}

package dev.alpharen.arsrv.activity;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which activities a query wants: the types (all when empty), the least severity, the integration
 * and node ("" for any), a time window [since, until) and how many at most, newest first.
 * Serializable: it travels to the other nodes of the cluster. Immutable.
 */
public record ActivityQuery(Set<ActivityType> types, Severity minSeverity, String integration,
    String node, Instant since, Instant until, int limit)
    implements Serializable, Predicate<Activity> {
  private static final long serialVersionUID = 1L;

  /** The most activities one query returns. */
  public static final int MAX_LIMIT = 10_000;

  public ActivityQuery {
    types = Set.copyOf(types);
    Objects.requireNonNull(minSeverity, "minSeverity");
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** Everything, newest first, at most {@code limit}. */
  public static ActivityQuery latest(int limit) {
    return new ActivityQuery(Set.of(), Severity.DEBUG, "", "", Instant.EPOCH, Instant.MAX, limit);
  }

  @Override
  public boolean test(Activity a) {
    return (types.isEmpty() || types.contains(a.type())) && a.severity().atLeast(minSeverity)
        && (integration.isEmpty() || integration.equals(a.integration()))
        && (node.isEmpty() || node.equals(a.node()))
        && !a.at().isBefore(since) && a.at().isBefore(until);
  }
}

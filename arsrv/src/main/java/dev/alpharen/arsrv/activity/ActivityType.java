package dev.alpharen.arsrv.activity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What kind of action an {@link Activity} records; its label ({@code node.started}) is its name in
 * files, APIs and alerts.
 */
public enum ActivityType {
  NODE_STARTED,
  NODE_READY,
  NODE_DRAINING,
  NODE_STOPPED,
  MEMBER_JOINED,
  MEMBER_LEFT,
  MEMBER_SUSPECTED,
  MEMBER_ALIVE,
  COORDINATOR_CHANGED,
  INTEGRATION_DEPLOYED,
  INTEGRATION_UPDATED,
  INTEGRATION_REMOVED,
  INTEGRATION_STARTED,
  INTEGRATION_STOPPED,
  INTEGRATION_FAILED,
  EXCHANGE_RECEIVED,
  EXCHANGE_COMPLETED,
  EXCHANGE_FAILED,
  EXCHANGE_RETRIED,
  EXCHANGE_DEAD_LETTERED,
  EXCHANGE_REPLAYED,
  ADMIN_ACTION;

  private final String label = name().toLowerCase(Locale.ROOT).replaceFirst("_", ".")
      .replace('_', '-');

  /** The label, such as {@code exchange.dead-lettered}. */
  public String label() {
    return label;
  }

  /** Every label, in declaration order, for messages and docs. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(ActivityType::label).toList();
  }

  /** The type with this label, if any. */
  public static Optional<ActivityType> ofLabel(String label) {
    return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst();
  }

  @Override
  public String toString() {
    return label;
  }
}

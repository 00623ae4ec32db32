package dev.alpharen.arsrv.activity;

import java.util.Map;

/**
 * Where components report what they did. Implementations never block the caller for long and never
 * throw: an activity that cannot be taken is counted and logged, not raised. Thread-safe.
 */
public interface ActivityRecorder {
  /**
   * Records an activity.
   *
   * @param scope the integration and exchange it concerns ({@link Scope#NONE} for none)
   * @param details extra JSON values; may be empty
   */
  void record(ActivityType type, Severity severity, Scope scope, String message,
      Map<String, Object> details);

  /** Records an activity that concerns no integration and has no details. */
  default void record(ActivityType type, Severity severity, String message) {
    record(type, severity, Scope.NONE, message, Map.of());
  }

  /** Records nothing: for components and tests that run without a journal. */
  static ActivityRecorder none() {
    return (type, severity, scope, message, details) -> { };
  }

  /**
   * What an activity concerns: an integration and, for exchange activities, the exchange.
   *
   * @param integration the integration, or ""
   * @param exchangeId the exchange id, or ""
   * @param correlationId the correlation id, or ""
   */
  record Scope(String integration, String exchangeId, String correlationId) {
    public static final Scope NONE = new Scope("", "", "");

    /** An activity about an integration as a whole. */
    public static Scope integration(String name) {
      return new Scope(name, "", "");
    }
  }
}

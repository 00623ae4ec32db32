package dev.alpharen.arclst;

/**
 * A conditional change to a {@link VersionedRegistry} was refused because the entry is not at the
 * version the caller expected: someone else changed it first. Immutable.
 */
public final class VersionConflictException extends Exception {
  private final String namespace;
  private final String name;
  private final long actualVersion;
  private final long expectedVersion;

  private VersionConflictException(
      String message, String namespace, String name, long actualVersion, long expectedVersion) {
    super(message);
    this.namespace = namespace;
    this.name = name;
    this.actualVersion = actualVersion;
    this.expectedVersion = expectedVersion;
  }

  /** The entry is at {@code actual} (0: never written) but the caller expected {@code expected}. */
  static VersionConflictException mismatch(
      String namespace, String name, long actual, long expected) {
    String message;
    if (expected == 0) {
      message = namespace + " '" + name + "' already exists at version " + actual
          + ", expected it absent (expected version 0)";
    } else if (actual == 0) {
      message = namespace + " '" + name + "' does not exist, expected version " + expected;
    } else {
      message = namespace + " '" + name + "' is at version " + actual + ", not " + expected;
    }
    return new VersionConflictException(message, namespace, name, actual, expected);
  }

  /** A rollback asked for a version that is not older than the current one. */
  static VersionConflictException notOlder(String namespace, String name, long actual, long target) {
    return new VersionConflictException(namespace + " '" + name + "' is at version " + actual
        + ", cannot roll back to version " + target + " (must be older)",
        namespace, name, actual, target);
  }

  /** The registry's namespace, e.g. {@code config}. */
  public String namespace() {
    return namespace;
  }

  /** The entry's name. */
  public String name() {
    return name;
  }

  /** The version the entry is at; 0 when it is absent. */
  public long actualVersion() {
    return actualVersion;
  }

  /** The version the caller expected (for a rollback: the version it asked for). */
  public long expectedVersion() {
    return expectedVersion;
  }
}

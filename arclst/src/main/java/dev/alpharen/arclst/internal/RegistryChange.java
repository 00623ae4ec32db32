package dev.alpharen.arclst.internal;

import com.hazelcast.map.EntryProcessor;
import dev.alpharen.arclst.Versioned;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One conditional change to one registry entry (put, delete or rollback), run by Hazelcast on the
 * partition that owns the entry, so the version check and the write are one atomic step
 * cluster-wide. The decision itself is the pure {@link #decide}. Immutable.
 *
 * <p>The time and author are fixed by the caller: the same change is replayed on the backup copy
 * and must write the same version there.
 */
public final class RegistryChange
    implements EntryProcessor<String, VersionHistory, RegistryChange.Result> {
  /** Expected version meaning "whatever the entry is at". */
  public static final long ANY = -1;

  /** Why a change was not made. Immutable. */
  public enum Refusal {
    /** The change was made. */
    NONE,
    /** The entry is not at the expected version. */
    CONFLICT,
    /** The name has never been written. */
    ABSENT,
    /** The entry's current version is a tombstone. */
    ALREADY_DELETED,
    /** A rollback asked for the current or a newer version. */
    NOT_OLDER,
    /** A rollback asked for a version no longer kept. */
    NOT_KEPT
  }

  /**
   * What came of a change. Immutable.
   *
   * @param written the version written, or null when refused
   * @param refusal why nothing was written, or {@link Refusal#NONE}
   * @param actualVersion the entry's version before the change; 0 when the name was absent
   * @param oldestKept the oldest version kept before the change; 0 when the name was absent
   */
  public record Result(Versioned written, Refusal refusal, long actualVersion, long oldestKept)
      implements Serializable {}

  /** Which change this is. */
  private enum Kind { PUT, DELETE, ROLLBACK }

  private final Kind kind;
  private final String content;
  private final long version;
  private final String author;
  private final Instant at;

  private RegistryChange(Kind kind, String content, long version, String author, Instant at) {
    this.kind = kind;
    this.content = Objects.requireNonNull(content, "content");
    this.version = version;
    this.author = Objects.requireNonNull(author, "author");
    this.at = Objects.requireNonNull(at, "at");
  }

  /** Write {@code content} if the entry is at {@code expectedVersion} (ANY, 0 = absent, or n). */
  public static RegistryChange put(String content, long expectedVersion, String author, Instant at) {
    return new RegistryChange(Kind.PUT, content, expectedVersion, author, at);
  }

  /** Write a tombstone if the entry is live and at {@code expectedVersion} (ANY or n). */
  public static RegistryChange delete(long expectedVersion, String author, Instant at) {
    return new RegistryChange(Kind.DELETE, "", expectedVersion, author, at);
  }

  /** Write a new version with the state (content, or tombstone) of the kept {@code toVersion}. */
  public static RegistryChange rollback(long toVersion, String author, Instant at) {
    return new RegistryChange(Kind.ROLLBACK, "", toVersion, author, at);
  }

  @Override
  public Result process(Map.Entry<String, VersionHistory> entry) {
    VersionHistory history = entry.getValue();
    Result result = decide(entry.getKey(), history);
    if (result.written() != null) {
      entry.setValue(history == null
          ? VersionHistory.of(result.written())
          : history.append(result.written()));
    }
    return result;
  }

  /** The change this would make to {@code history} (null: name never written); no side effects. */
  public Result decide(String name, VersionHistory history) {
    long actual = history == null ? 0 : history.current().version();
    long oldest = history == null ? 0 : history.oldestKept();
    boolean live = history != null && !history.current().deleted();
    switch (kind) {
      case PUT -> {
        boolean expected = version == ANY || (version == 0 ? !live : version == actual);
        return expected
            ? written(new Versioned(name, actual + 1, content, false, at, author), actual, oldest)
            : refused(Refusal.CONFLICT, actual, oldest);
      }
      case DELETE -> {
        if (!live) {
          return refused(history == null ? Refusal.ABSENT : Refusal.ALREADY_DELETED, actual, oldest);
        }
        if (version != ANY && version != actual) {
          return refused(Refusal.CONFLICT, actual, oldest);
        }
        return written(new Versioned(name, actual + 1, "", true, at, author), actual, oldest);
      }
      default -> {
        if (history == null) {
          return refused(Refusal.ABSENT, actual, oldest);
        }
        if (version >= actual) {
          return refused(Refusal.NOT_OLDER, actual, oldest);
        }
        return history.find(version)
            .map(old -> written(
                new Versioned(name, actual + 1, old.content(), old.deleted(), at, author),
                actual, oldest))
            .orElseGet(() -> refused(Refusal.NOT_KEPT, actual, oldest));
      }
    }
  }

  private static Result written(Versioned v, long actual, long oldest) {
    return new Result(v, Refusal.NONE, actual, oldest);
  }

  private static Result refused(Refusal refusal, long actual, long oldest) {
    return new Result(null, refusal, actual, oldest);
  }
}

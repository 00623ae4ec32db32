package dev.alpharen.arclst;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of one entry of a {@link VersionedRegistry}: its content, or a tombstone when the
 * entry was deleted. Immutable.
 *
 * @param name the entry's name, unique within its namespace
 * @param version 1 for the first write, one more for every later write, delete or rollback
 * @param content the entry's content; "" for a tombstone
 * @param deleted whether this version is a tombstone written by a delete
 * @param updatedAt when the writing node's clock said the change was made
 * @param updatedBy who made the change (a user or a node)
 */
public record Versioned(
    String name, long version, String content, boolean deleted, Instant updatedAt, String updatedBy)
    implements Serializable {
  public Versioned {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (version < 1) {
      throw new IllegalArgumentException(
          "version of '" + name + "' must be >= 1 (1 is the first write), was " + version);
    }
    Objects.requireNonNull(content, "content (use \"\" for none)");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
    if (deleted && !content.isEmpty()) {
      throw new IllegalArgumentException("tombstone of '" + name + "' must have empty content");
    }
  }
}

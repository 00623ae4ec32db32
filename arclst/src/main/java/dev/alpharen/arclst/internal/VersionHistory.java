package dev.alpharen.arclst.internal;

import dev.alpharen.arclst.Versioned;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The value stored under one name of a registry map: the kept versions of the entry, oldest first,
 * the last being the current one. Immutable.
 *
 * @param versions at least one and at most {@link #KEPT} versions of one name, strictly ascending
 */
public record VersionHistory(List<Versioned> versions) implements Serializable {
  /** How many versions of a name are kept; older ones are dropped on the next write. */
  public static final int KEPT = 50;

  public VersionHistory {
    versions = List.copyOf(versions);
    if (versions.isEmpty() || versions.size() > KEPT) {
      throw new IllegalArgumentException(
          "history must hold 1-" + KEPT + " versions, held " + versions.size());
    }
    String name = versions.get(0).name();
    for (int i = 1; i < versions.size(); i++) {
      Versioned v = versions.get(i);
      if (!v.name().equals(name)) {
        throw new IllegalArgumentException(
            "history of '" + name + "' must hold only that name, found '" + v.name() + "'");
      }
      if (v.version() <= versions.get(i - 1).version()) {
        throw new IllegalArgumentException("history of '" + name + "' must be strictly ascending,"
            + " found " + v.version() + " after " + versions.get(i - 1).version());
      }
    }
  }

  /** A history holding only the first version of a name. */
  public static VersionHistory of(Versioned first) {
    return new VersionHistory(List.of(first));
  }

  /** The current version: the newest kept. */
  public Versioned current() {
    return versions.get(versions.size() - 1);
  }

  /** The entry's name. */
  public String name() {
    return versions.get(0).name();
  }

  /** The oldest version still kept. */
  public long oldestKept() {
    return versions.get(0).version();
  }

  /** This history with {@code next} appended, dropping the oldest beyond {@link #KEPT}. */
  public VersionHistory append(Versioned next) {
    List<Versioned> all = new ArrayList<>(versions.size() + 1);
    all.addAll(versions);
    all.add(next);
    return new VersionHistory(all.subList(Math.max(0, all.size() - KEPT), all.size()));
  }

  /** The kept version with this number, if any. */
  public Optional<Versioned> find(long version) {
    return versions.stream().filter(v -> v.version() == version).findFirst();
  }
}

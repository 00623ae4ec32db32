package dev.alpharen.arclst;

import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.alpharen.arclst.internal.CurrentVersion;
import dev.alpharen.arclst.internal.HighestVersionMergePolicy;
import dev.alpharen.arclst.internal.HistoryListener;
import dev.alpharen.arclst.internal.NameRules;
import dev.alpharen.arclst.internal.RegistryChange;
import dev.alpharen.arclst.internal.RegistryRestore;
import dev.alpharen.arclst.internal.RegistryStore;
import dev.alpharen.arclst.internal.VersionHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster-wide registry of named, versioned text entries in one namespace (e.g. {@code config}),
 * with optimistic concurrency, tombstones, a history of the last {@value VersionHistory#KEPT}
 * versions per name and rollback. Thread-safe.
 *
 * <p>Entries live in the Hazelcast map {@code alpharen.registry.<namespace>}; every change runs
 * atomically on the entry's owning partition. Hazelcast keeps maps only in memory, so every node
 * also keeps a full copy on its own disk, fed by a map listener; after a whole-cluster restart each
 * node calls {@link #restoreFromDisk()} and the highest version of every name wins. The same rule
 * settles a split brain ({@link HighestVersionMergePolicy}).
 */
public final class VersionedRegistry implements AutoCloseable {
  /** Expected version for an unconditional change. */
  public static final long ANY = RegistryChange.ANY;

  private static final Logger log = LoggerFactory.getLogger(VersionedRegistry.class);
  private static final String MAP_PREFIX = "alpharen.registry.";
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private final HazelcastInstance hazelcast;
  private final String namespace;
  private final IMap<String, VersionHistory> map;
  private final RegistryStore store;
  private final Clock clock;
  private final UUID persister;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VersionedRegistry(
      HazelcastInstance hazelcast, String namespace, RegistryStore store, Clock clock) {
    this.hazelcast = hazelcast;
    this.namespace = namespace;
    this.map = hazelcast.getMap(MAP_PREFIX + namespace);
    this.store = store;
    this.clock = clock;
    this.persister = map.addEntryListener(new HistoryListener(this::persist), true);
  }

  /**
   * Opens the namespace on this member and starts keeping this node's disk copy of it in
   * {@code persistDir/<namespace>}. Call {@link #restoreFromDisk()} once the member has joined.
   *
   * @param namespace 1-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit
   */
  public static VersionedRegistry open(
      HazelcastInstance hazelcast, String namespace, Path persistDir, Clock clock) {
    Objects.requireNonNull(hazelcast, "hazelcast");
    Objects.requireNonNull(namespace, "namespace");
    if (!NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("registry namespace must be 1-64 characters of a-z, 0-9,"
          + " '.', '_', '-', starting with a letter or digit, was '" + namespace + "'");
    }
    Objects.requireNonNull(persistDir, "persistDir");
    Objects.requireNonNull(clock, "clock");
    // before the map's first use on any member; adding an identical config again is a no-op
    hazelcast.getConfig().addMapConfig(new MapConfig(MAP_PREFIX + "*")
        .setMergePolicyConfig(new MergePolicyConfig(
            HighestVersionMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE)));
    return new VersionedRegistry(
        hazelcast, namespace, new RegistryStore(persistDir.resolve(namespace)), clock);
  }

  /** The live entry with this name; empty if it is absent or deleted. */
  public Optional<Versioned> get(String name) {
    VersionHistory history = map.get(Objects.requireNonNull(name, "name"));
    return history == null || history.current().deleted()
        ? Optional.empty()
        : Optional.of(history.current());
  }

  /** Every live entry, sorted by name. */
  public List<Versioned> list() {
    return map.project(new CurrentVersion()).stream()
        .filter(v -> !v.deleted())
        .sorted(Comparator.comparing(Versioned::name))
        .toList();
  }

  /**
   * Writes {@code content} as the next version of {@code name}.
   *
   * @param expectedVersion {@link #ANY}: unconditional; 0: the name must be absent or deleted;
   *     n: the current version must be n
   * @return the version written: 1 for a new name, else the previous version plus one
   * @throws VersionConflictException if the entry is not at {@code expectedVersion}
   */
  public Versioned put(String name, String content, long expectedVersion, String author)
      throws VersionConflictException {
    NameRules.check("registry entry name", name);
    Objects.requireNonNull(content, "content");
    checkExpected(expectedVersion);
    return outcome(name, expectedVersion, map.executeOnKey(name,
        RegistryChange.put(content, expectedVersion, checkAuthor(author), clock.instant())));
  }

  /**
   * Deletes {@code name} by writing a tombstone as its next version.
   *
   * @param expectedVersion {@link #ANY} or the version the entry must be at
   * @throws NoSuchElementException if the name is absent or already deleted
   * @throws VersionConflictException if the entry is not at {@code expectedVersion}
   */
  public Versioned delete(String name, long expectedVersion, String author)
      throws VersionConflictException {
    Objects.requireNonNull(name, "name");
    checkExpected(expectedVersion);
    return outcome(name, expectedVersion, map.executeOnKey(name,
        RegistryChange.delete(expectedVersion, checkAuthor(author), clock.instant())));
  }

  /** Every kept version of {@code name}, oldest first, tombstones included; empty if absent. */
  public List<Versioned> history(String name) {
    VersionHistory history = map.get(Objects.requireNonNull(name, "name"));
    return history == null ? List.of() : history.versions();
  }

  /**
   * Writes a new version of {@code name} with the state of the kept {@code toVersion}: its content,
   * or a tombstone if that version was one. Rolling back a deleted name brings it back.
   *
   * @throws NoSuchElementException if the name is absent or {@code toVersion} is no longer kept
   * @throws VersionConflictException if {@code toVersion} is not older than the current version
   */
  public Versioned rollback(String name, long toVersion, String author)
      throws VersionConflictException {
    Objects.requireNonNull(name, "name");
    if (toVersion < 1) {
      throw new IllegalArgumentException(
          "toVersion of '" + name + "' must be >= 1 (versions start at 1), was " + toVersion);
    }
    return outcome(name, toVersion, map.executeOnKey(name,
        RegistryChange.rollback(toVersion, checkAuthor(author), clock.instant())));
  }

  /**
   * Merges this node's disk copy into the cluster map, name by name; the history whose current
   * version is higher wins, tombstones included, so a stale node never rolls data back. Then brings
   * this node's disk copy up to date with what the cluster has.
   *
   * @return how many names of the cluster map this changed
   */
  public int restoreFromDisk() {
    List<VersionHistory> onDisk;
    try {
      onDisk = store.readAll();
    } catch (IOException e) {
      throw new UncheckedIOException("registry " + namespace + ": cannot list " + store.dir(), e);
    }
    int changed = 0;
    for (VersionHistory history : onDisk) {
      if (map.executeOnKey(history.name(), new RegistryRestore(history))) {
        changed++;
      }
    }
    // the cluster may hold writes made while this node was away
    int refreshed = persistAll();
    log.info("registry {} restored {} of {} name(s) from {}; refreshed {} local file(s)",
        namespace, changed, onDisk.size(), store.dir(), refreshed);
    return changed;
  }

  /**
   * Calls {@code listener} with the new current version on every change seen in the cluster (made
   * on any member), tombstones included, on a Hazelcast event thread, in order per name.
   *
   * @return closing it stops the calls
   */
  public AutoCloseable addListener(Consumer<Versioned> listener) {
    Objects.requireNonNull(listener, "listener");
    UUID id = map.addEntryListener(new HistoryListener(history -> {
      try {
        listener.accept(history.current());
      } catch (RuntimeException e) {
        log.warn("registry {} listener failed on '{}' version {}; it is still called for later"
            + " changes", namespace, history.name(), history.current().version(), e);
      }
    }), true);
    return () -> removeListener(id);
  }

  /**
   * Brings this node's disk copy up to date and stops keeping it; the cluster map and the other
   * nodes are not affected. Call it before the member shuts down: Hazelcast drops the events still
   * queued then, and the last node to leave must have everything on disk.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && hazelcast.getLifecycleService().isRunning()) {
      removeListener(persister);
      int written = persistAll();
      log.debug("registry {} closed; {} file(s) written on close", namespace, written);
    }
  }

  /** Writes every name of the cluster map whose file is missing or older; returns how many. */
  private int persistAll() {
    int written = 0;
    for (VersionHistory history : map.values()) {
      written += persist(history) ? 1 : 0;
    }
    return written;
  }

  private void removeListener(UUID id) {
    if (hazelcast.getLifecycleService().isRunning()) {
      map.removeEntryListener(id);
    }
  }

  private boolean persist(VersionHistory history) {
    try {
      return store.write(history);
    } catch (IOException | RuntimeException e) {
      log.error("registry {} could not write '{}' version {} to {}: {}; this node's disk copy"
          + " stays stale until the name is written again", namespace, history.name(),
          history.current().version(), store.dir(), e.toString());
      return false;
    }
  }

  private Versioned outcome(String name, long version, RegistryChange.Result result)
      throws VersionConflictException {
    long actual = result.actualVersion();
    return switch (result.refusal()) {
      case NONE -> result.written();
      case CONFLICT -> throw VersionConflictException.mismatch(namespace, name, actual, version);
      case NOT_OLDER -> throw VersionConflictException.notOlder(namespace, name, actual, version);
      case ABSENT -> throw new NoSuchElementException(namespace + " '" + name + "' does not exist");
      case ALREADY_DELETED -> throw new NoSuchElementException(
          namespace + " '" + name + "' is already deleted (tombstone at version " + actual + ")");
      case NOT_KEPT -> throw new NoSuchElementException(namespace + " '" + name + "' keeps versions "
          + result.oldestKept() + "-" + actual + "; version " + version + " is no longer kept");
    };
  }

  private static void checkExpected(long expectedVersion) {
    if (expectedVersion < ANY) {
      throw new IllegalArgumentException("expectedVersion must be ANY (-1), 0 (absent) or a"
          + " version >= 1, was " + expectedVersion);
    }
  }

  private static String checkAuthor(String author) {
    if (author == null || author.isBlank()) {
      throw new IllegalArgumentException("author must name who makes the change, was "
          + (author == null ? "null" : "'" + author + "'"));
    }
    return author;
  }
}

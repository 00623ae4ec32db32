package dev.alpharen.arclst.internal;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands the new history of every added, updated or split-brain-merged registry entry to a
 * consumer. Registry entries are never removed (deletes write tombstones), so those three kinds
 * are every change. Called on Hazelcast event threads, in order per name; thread-safe if the
 * consumer is.
 */
public final class HistoryListener implements EntryAddedListener<String, VersionHistory>,
    EntryUpdatedListener<String, VersionHistory>, EntryMergedListener<String, VersionHistory> {
  private final Consumer<VersionHistory> consumer;

  public HistoryListener(Consumer<VersionHistory> consumer) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
  }

  @Override
  public void entryAdded(EntryEvent<String, VersionHistory> event) {
    deliver(event);
  }

  @Override
  public void entryUpdated(EntryEvent<String, VersionHistory> event) {
    deliver(event);
  }

  @Override
  public void entryMerged(EntryEvent<String, VersionHistory> event) {
    deliver(event);
  }

  private void deliver(EntryEvent<String, VersionHistory> event) {
    if (event.getValue() != null) {
      consumer.accept(event.getValue());
    }
  }
}

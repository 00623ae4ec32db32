package dev.alpharen.arclst.internal;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;
import java.util.Objects;

/**
 * Offers one name's history from a node's disk copy to the cluster map, on the partition that owns
 * it: it replaces the map's history only if its current version is higher
 * ({@link HighestVersionMergePolicy#pick}). Returns whether it did. Immutable.
 */
public final class RegistryRestore implements EntryProcessor<String, VersionHistory, Boolean> {
  private final VersionHistory fromDisk;

  public RegistryRestore(VersionHistory fromDisk) {
    this.fromDisk = Objects.requireNonNull(fromDisk, "fromDisk");
  }

  @Override
  public Boolean process(Map.Entry<String, VersionHistory> entry) {
    VersionHistory inMap = entry.getValue();
    if (HighestVersionMergePolicy.pick(fromDisk, inMap) == inMap) {
      return false;
    }
    entry.setValue(fromDisk);
    return true;
  }
}

package dev.alpharen.arclst.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * Split-brain merge policy of the registry maps: of the two histories of one name, the one whose
 * current version is higher wins (a tombstone too); on a tie the existing one stays. Stateless and
 * thread-safe; Hazelcast instantiates it by class name, hence public with a no-argument constructor.
 */
public final class HighestVersionMergePolicy
    implements SplitBrainMergePolicy<VersionHistory, MergingValue<VersionHistory>, Object> {

  /**
   * The history to keep: {@code challenger} if its current version is higher than that of
   * {@code incumbent} (or there is no incumbent), else {@code incumbent}. Ties keep the incumbent,
   * so merging a copy never rewrites the entry.
   */
  public static VersionHistory pick(VersionHistory challenger, VersionHistory incumbent) {
    if (incumbent == null) {
      return challenger;
    }
    if (challenger == null) {
      return incumbent;
    }
    return challenger.current().version() > incumbent.current().version() ? challenger : incumbent;
  }

  /**
   * Picks between the entry of the smaller sub-cluster ({@code merging}) and that of the larger one
   * ({@code existing}, null when it has none) and returns the winner's value as stored.
   */
  @Override
  public Object merge(MergingValue<VersionHistory> merging, MergingValue<VersionHistory> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    // each getDeserializedValue() call may deserialize anew: compare the objects picked from
    VersionHistory kept = existing.getDeserializedValue();
    return pick(merging.getDeserializedValue(), kept) == kept
        ? existing.getRawValue()
        : merging.getRawValue();
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // no state
  }

  @Override
  public void readData(ObjectDataInput in) {
    // no state
  }
}

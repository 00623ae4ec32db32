package dev.alpharen.arclst.internal;

import static dev.alpharen.arclst.internal.RegistryChangeTest.history;
import static dev.alpharen.arclst.internal.RegistryChangeTest.tombstone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.hazelcast.spi.merge.MergingValue;
import dev.alpharen.arclst.Versioned;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The split-brain merge decision, on two stored values directly. */
final class HighestVersionMergePolicyTest {
  private final HighestVersionMergePolicy policy = new HighestVersionMergePolicy();

  @Test
  void keepsTheMergingEntryWhenItsVersionIsHigher() {
    assertEquals("merging", policy.merge(stored(history(5), "merging"), stored(history(4), "existing")));
  }

  @Test
  void keepsTheExistingEntryWhenItsVersionIsHigher() {
    assertEquals("existing", policy.merge(stored(history(4), "merging"), stored(history(5), "existing")));
  }

  @Test
  void aNewerTombstoneBeatsAnOlderLiveEntry() {
    VersionHistory deleted = history(4).append(tombstone(5));

    assertEquals("merging", policy.merge(stored(deleted, "merging"), stored(history(4), "existing")));
    assertEquals("existing", policy.merge(stored(history(4), "merging"), stored(deleted, "existing")));
  }

  @Test
  void keepsTheExistingEntryOnATie() {
    Versioned other = new Versioned("x", 4, "written on the other side", false,
        Instant.parse("2030-01-01T00:00:00Z"), "bob");

    assertEquals("existing", policy.merge(
        stored(history(3).append(other), "merging"), stored(history(4), "existing")));
  }

  @Test
  void takesTheMergingEntryWhenThereIsNoExistingOne() {
    assertEquals("merging", policy.merge(stored(history(1), "merging"), null));
  }

  @Test
  void pickPrefersTheHigherVersionAndTheIncumbentOnATie() {
    VersionHistory four = history(4);
    VersionHistory otherFour = history(4);

    assertSame(four, HighestVersionMergePolicy.pick(four, history(3)));
    assertSame(otherFour, HighestVersionMergePolicy.pick(four, otherFour));
    assertSame(four, HighestVersionMergePolicy.pick(four, null));
  }

  /** A merging value whose stored (raw) form is the marker string, so the test sees which won. */
  private static MergingValue<VersionHistory> stored(VersionHistory history, String raw) {
    return new MergingValue<>() {
      @Override
      public VersionHistory getDeserializedValue() {
        // a fresh copy per call, as Hazelcast deserializes anew
        return new VersionHistory(history.versions());
      }

      @Override
      public Object getRawValue() {
        return raw;
      }
    };
  }
}

package dev.alpharen.arclst.internal;

import com.hazelcast.projection.Projection;
import dev.alpharen.arclst.Versioned;
import java.util.Map;

/**
 * Projects a registry map entry to its current version on the members that own it, so listing a
 * namespace ships one version per name instead of whole histories. Stateless and thread-safe.
 */
public final class CurrentVersion implements Projection<Map.Entry<String, VersionHistory>, Versioned> {
  @Override
  public Versioned transform(Map.Entry<String, VersionHistory> entry) {
    return entry.getValue().current();
  }
}

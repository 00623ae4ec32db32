package dev.alpharen.arclst;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in the cluster, published to every node by {@link ClusterEvents}.
 * Every event is an immutable record.
 */
public sealed interface ClusterEvent extends Serializable permits ClusterEvent.MemberJoined,
    ClusterEvent.MemberLeft, ClusterEvent.StatusChanged, ClusterEvent.ConfigChanged {
  /** When the publishing node saw it happen. */
  Instant at();

  /** A node joined the cluster. */
  record MemberJoined(Instant at, String nodeId) implements ClusterEvent {
    public MemberJoined {
      Objects.requireNonNull(at, "at");
      requireText("nodeId", nodeId);
    }
  }

  /** A node left the cluster, gracefully or not. */
  record MemberLeft(Instant at, String nodeId) implements ClusterEvent {
    public MemberLeft {
      Objects.requireNonNull(at, "at");
      requireText("nodeId", nodeId);
    }
  }

  /** A node's status changed, e.g. from {@code ACTIVE} to {@code DRAINING}. */
  record StatusChanged(Instant at, String nodeId, String from, String to) implements ClusterEvent {
    public StatusChanged {
      Objects.requireNonNull(at, "at");
      requireText("nodeId", nodeId);
      requireText("from", from);
      requireText("to", to);
    }
  }

  /** An entry of a {@link VersionedRegistry} namespace reached {@code version}. */
  record ConfigChanged(Instant at, String namespace, String name, long version)
      implements ClusterEvent {
    public ConfigChanged {
      Objects.requireNonNull(at, "at");
      requireText("namespace", namespace);
      requireText("name", name);
      if (version < 1) {
        throw new IllegalArgumentException(
            "version of " + namespace + " '" + name + "' must be >= 1, was " + version);
      }
    }
  }

  private static void requireText(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + " of a cluster event must not be empty, was "
          + (value == null ? "null" : "empty"));
    }
  }
}

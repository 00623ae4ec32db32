package dev.alpharen.arwadm;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the admin API shows of the cluster's activities (implemented by ARSRV). */
public interface ActivitiesView {
  /** The activity types a filter may name, such as {@code node.started}. */
  List<String> types();

  /** The severities, least first. */
  List<String> severities();

  /** The most activities one query may ask for. */
  int maxLimit();

  /**
   * The cluster's activities matching the filter, newest first: every node answers for its own and
   * this node merges them.
   *
   * @return {@code {"activities": [...], "nodes": {id: "ok" | why it did not answer}}}
   */
  Map<String, Object> query(Filter filter);

  /**
   * A checked filter.
   *
   * @param types activity types (any when empty)
   * @param severity the least severity
   * @param integration an integration name, or "" for any
   * @param node a node id, or "" for every node
   * @param since the earliest time, inclusive
   * @param until the latest time, exclusive
   * @param limit how many activities at most
   */
  record Filter(List<String> types, String severity, String integration, String node,
      Instant since, Instant until, int limit) {
    public Filter {
      types = List.copyOf(types);
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(integration, "integration");
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(until, "until");
    }
  }
}

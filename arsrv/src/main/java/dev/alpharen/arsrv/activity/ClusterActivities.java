package dev.alpharen.arsrv.activity;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arwadm.ActivitiesView;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The admin API's view of the cluster's activities: the query runs on every member (or the one
 * named) through the Hazelcast executor {@value #EXECUTOR}, each answering from its own file, and
 * this node merges the answers newest first. A member that does not answer within {@link #TIMEOUT}
 * is named in the result instead of failing it. Thread-safe.
 */
public final class ClusterActivities implements ActivitiesView {
  static final String EXECUTOR = "alpharen.activities";
  /** Where each member's {@link Activities} is found by the query task. */
  static final String CONTEXT_KEY = "alpharen.activities";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HazelcastInstance hazelcast;

  /** Registers this node's activities for queries from the other members. */
  public ClusterActivities(HazelcastInstance hazelcast, Activities local) {
    this.hazelcast = hazelcast;
    hazelcast.getUserContext().put(CONTEXT_KEY, local);
  }

  @Override
  public List<String> types() {
    return ActivityType.labels();
  }

  @Override
  public List<String> severities() {
    return Severity.labels();
  }

  @Override
  public int maxLimit() {
    return ActivityQuery.MAX_LIMIT;
  }

  @Override
  public Map<String, Object> query(Filter filter) {
    ActivityQuery query = new ActivityQuery(filter.types().stream()
        .map(t -> ActivityType.ofLabel(t).orElseThrow()).collect(Collectors.toSet()),
        Severity.ofLabel(filter.severity()).orElseThrow(), filter.integration(), filter.node(),
        filter.since(), filter.until(), filter.limit());
    Set<Member> members = hazelcast.getCluster().getMembers().stream()
        .filter(m -> !m.isLiteMember())
        .filter(m -> filter.node().isEmpty() || filter.node().equals(nodeId(m)))
        .collect(Collectors.toSet());
    Map<String, Object> nodes = new LinkedHashMap<>();
    List<Activity> all = new ArrayList<>();
    if (!members.isEmpty()) {
      IExecutorService executor = hazelcast.getExecutorService(EXECUTOR);
      Map<Member, Future<List<String>>> answers = executor.submitToMembers(new Task(query),
          members);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (Map.Entry<Member, Future<List<String>>> answer : answers.entrySet()) {
        String id = nodeId(answer.getKey());
        try {
          List<String> lines = answer.getValue().get(Math.max(0, deadline - System.nanoTime()),
              TimeUnit.NANOSECONDS);
          lines.forEach(line -> all.add(Activity.fromJson(line)));
          nodes.put(id, "ok");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          nodes.put(id, "interrupted");
        } catch (TimeoutException e) {
          nodes.put(id, "did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
          nodes.put(id, "failed: " + e.getCause().getMessage());
        }
      }
    }
    List<Map<String, Object>> merged = all.stream()
        .sorted(Comparator.comparing(Activity::at).thenComparing(Activity::id).reversed())
        .limit(query.limit()).map(Activity::toMap).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("activities", merged);
    body.put("nodes", nodes);
    return body;
  }

  private static String nodeId(Member m) {
    String id = m.getAttribute(ClusterMember.ATTR_NODE_ID);
    return id == null ? m.getUuid().toString() : id;
  }

  /** Runs a query on one member against that member's own file. */
  static final class Task implements Callable<List<String>>, Serializable, HazelcastInstanceAware {
    private static final long serialVersionUID = 1L;

    private final ActivityQuery query;
    private transient HazelcastInstance hazelcast;

    Task(ActivityQuery query) {
      this.query = query;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
      this.hazelcast = hazelcast;
    }

    @Override
    public List<String> call() throws IOException {
      Object local = hazelcast.getUserContext().get(CONTEXT_KEY);
      if (!(local instanceof Activities activities)) {
        throw new IOException("this node records no activities yet (starting)");
      }
      try {
        return activities.query(query).stream().map(Activity::toJson).toList();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }
}

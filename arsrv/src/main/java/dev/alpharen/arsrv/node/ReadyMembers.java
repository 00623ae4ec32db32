package dev.alpharen.arsrv.node;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import dev.alpharen.arclst.ClusterMember;
import dev.alpharen.arclst.ClusterSnapshot;
import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.arclst.NodeStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The cluster as a standalone proxy sees it: a lite member cannot read the node directory (a
 * replicated map), so the nodes come from Hazelcast's member list and their HTTP address from the
 * member attributes, and a node counts as ACTIVE while its {@code /health/ready} answers 200 (a
 * draining node turns not-ready first). A node stays known while it is a member or still answers
 * ready, so that a moment in which this member's view of the cluster differs from the nodes' own
 * (a master change while a node leaves) costs no request. {@link #runOnce()} asks every known node
 * once and swaps in a new immutable snapshot, which requests then read without further work; the
 * caller schedules it. {@code runOnce} is called from one thread at a time; {@link #snapshot()}
 * from any.
 */
final class ReadyMembers implements ClusterView {
  private final HazelcastInstance hazelcast;
  private final String clusterName;
  private final Duration timeout;
  private final HttpClient client;
  private final Map<String, Known> known = new LinkedHashMap<>(); // node id -> node; runOnce only
  private final AtomicReference<ClusterSnapshot> current;

  ReadyMembers(HazelcastInstance hazelcast, String clusterName, Duration timeout) {
    this.hazelcast = hazelcast;
    this.clusterName = clusterName;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.current = new AtomicReference<>(new ClusterSnapshot(clusterName, "", List.of()));
  }

  @Override
  public ClusterSnapshot snapshot() {
    return current.get();
  }

  /** Asks every known node's {@code /health/ready} at once, waits, and publishes the result. */
  void runOnce() {
    Set<String> members = new java.util.HashSet<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      String http = m.getAttribute(ClusterMember.ATTR_HTTP);
      if (m.isLiteMember() || http == null || http.isEmpty()) {
        continue;
      }
      String id = m.getAttribute(ClusterMember.ATTR_NODE_ID);
      id = id == null ? m.getUuid().toString() : id;
      members.add(id);
      known.put(id, new Known(id, m.getAddress().getHost() + ":" + m.getAddress().getPort(),
          http));
    }
    Map<String, CompletableFuture<Boolean>> answers = new LinkedHashMap<>();
    for (Known k : known.values()) {
      answers.put(k.id(), client.sendAsync(HttpRequest.newBuilder(
              URI.create(k.http() + "/health/ready")).timeout(timeout).build(),
              HttpResponse.BodyHandlers.discarding())
          .thenApply(r -> r.statusCode() == 200).exceptionally(e -> false));
    }
    Set<String> ready = answers.entrySet().stream().filter(e -> e.getValue().join())
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    known.keySet().removeIf(id -> !members.contains(id) && !ready.contains(id));
    List<MemberInfo> infos = new ArrayList<>();
    for (Known k : known.values()) {
      MemberInfo joining = MemberInfo.joining(k.id(), k.address(), k.http(), false);
      infos.add(ready.contains(k.id())
          ? new MemberInfo(k.address(), false, joining.node().withStatus(NodeStatus.ACTIVE))
          : joining);
    }
    current.set(new ClusterSnapshot(clusterName, infos.isEmpty() ? "" : infos.get(0).id(),
        infos));
  }

  private record Known(String id, String address, String http) {}
}

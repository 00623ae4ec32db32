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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The cluster as a standalone proxy sees it: a lite member cannot read the node directory (a
 * replicated map), so the members come from Hazelcast's member list and their HTTP address from
 * the member attributes, and a member counts as ACTIVE while its {@code /health/ready} answers 200
 * (a draining node turns not-ready first). {@link #runOnce()} asks every member once; the caller
 * schedules it. Thread-safe.
 */
final class ReadyMembers implements ClusterView {
  private final HazelcastInstance hazelcast;
  private final String clusterName;
  private final Duration timeout;
  private final HttpClient client;
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>(); // member UUID -> ready

  ReadyMembers(HazelcastInstance hazelcast, String clusterName, Duration timeout) {
    this.hazelcast = hazelcast;
    this.clusterName = clusterName;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public ClusterSnapshot snapshot() {
    List<MemberInfo> members = new ArrayList<>();
    for (Member m : dataMembers()) {
      MemberInfo joining = MemberInfo.joining(nodeId(m), m.getAddress().getHost() + ":"
          + m.getAddress().getPort(), http(m), false);
      members.add(ready.getOrDefault(m.getUuid().toString(), false)
          ? new MemberInfo(joining.address(), false, joining.node().withStatus(NodeStatus.ACTIVE))
          : joining);
    }
    return new ClusterSnapshot(clusterName, members.isEmpty() ? "" : members.get(0).id(),
        members);
  }

  /** Asks every member's {@code /health/ready} at once and waits for the answers. */
  void runOnce() {
    List<Member> members = dataMembers();
    Map<String, CompletableFuture<Boolean>> answers = new ConcurrentHashMap<>();
    for (Member m : members) {
      String http = http(m);
      if (http.isEmpty()) {
        continue;
      }
      answers.put(m.getUuid().toString(), client.sendAsync(HttpRequest.newBuilder(
              URI.create(http + "/health/ready")).timeout(timeout).build(),
              HttpResponse.BodyHandlers.discarding())
          .thenApply(r -> r.statusCode() == 200).exceptionally(e -> false));
    }
    answers.forEach((uuid, answer) -> ready.put(uuid, answer.join()));
    Set<String> present = members.stream().map(m -> m.getUuid().toString())
        .collect(Collectors.toSet());
    ready.keySet().retainAll(present);
  }

  private List<Member> dataMembers() {
    return hazelcast.getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).toList();
  }

  private static String nodeId(Member m) {
    String id = m.getAttribute(ClusterMember.ATTR_NODE_ID);
    return id == null ? m.getUuid().toString() : id;
  }

  private static String http(Member m) {
    String http = m.getAttribute(ClusterMember.ATTR_HTTP);
    return http == null ? "" : http;
  }
}

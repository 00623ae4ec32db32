package dev.alpharen.arclst;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import com.hazelcast.topic.ITopic;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's node directory: every node publishes its {@link NodeDescriptor} into a replicated
 * map keyed by its member UUID, and the view merges those descriptors with Hazelcast's membership,
 * so a member that leaves disappears at once. The oldest member is the coordinator; it also removes
 * the descriptors of members that died. Nodes can send each other commands (such as "drain").
 * Thread-safe.
 */
public final class NodeDirectory implements ClusterView, AutoCloseable {
  /** The command that asks a node to drain. */
  public static final String DRAIN = "drain";

  private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);
  private static final String MAP = "alpharen.nodes";
  private static final String COMMANDS = "alpharen.node-commands";
  /** Drains requested and not yet finished, by node id; the key of the same name is the lock. */
  private static final String DRAINS = "alpharen.drains";

  private final HazelcastInstance hazelcast;
  private final String clusterName;
  private final ReplicatedMap<String, NodeDescriptor> nodes;
  private final ITopic<NodeCommand> commands;
  private final AtomicReference<NodeDescriptor> self;
  private final List<Consumer<String>> commandHandlers = new CopyOnWriteArrayList<>();
  private final UUID membershipListener;
  private final UUID commandListener;
  private final ClusterEvents events;

  private NodeDirectory(HazelcastInstance hazelcast, String clusterName, NodeDescriptor self,
      ClusterEvents events) {
    this.hazelcast = hazelcast;
    this.events = events;
    this.clusterName = clusterName;
    this.nodes = hazelcast.getReplicatedMap(MAP);
    this.commands = hazelcast.getTopic(COMMANDS);
    this.self = new AtomicReference<>(self);
    this.membershipListener = hazelcast.getCluster().addMembershipListener(new Janitor());
    this.commandListener = commands.addMessageListener(m -> onCommand(m.getMessageObject()));
    // After a split-brain merge the member has a new UUID and the merged map may lack its entry.
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        nodes.put(localKey(), this.self.get());
      }
    });
  }

  /**
   * Publishes this node's descriptor and starts following the cluster.
   *
   * @param events where status changes (this node's) and joins and leaves (as the coordinator
   *     sees them) are announced
   */
  public static NodeDirectory publish(HazelcastInstance hazelcast, String clusterName,
      NodeDescriptor self, ClusterEvents events) {
    NodeDirectory directory = new NodeDirectory(hazelcast, clusterName, self, events);
    directory.nodes.put(directory.localKey(), self);
    return directory;
  }

  /** This node's descriptor as last published. */
  public NodeDescriptor self() {
    return self.get();
  }

  /** Publishes a new status for this node. */
  public void setStatus(NodeStatus status) {
    NodeDescriptor previous = self.getAndUpdate(d -> d.withStatus(status));
    nodes.put(localKey(), self.get());
    if (previous.status() != status) {
      log.info("node {} is now {} (was {})", previous.id(), status, previous.status());
      events.publish(new ClusterEvent.StatusChanged(Instant.now(), previous.id(),
          previous.status().name(), status.name()));
    }
  }

  @Override
  public ClusterSnapshot snapshot() {
    UUID local = hazelcast.getCluster().getLocalMember().getUuid();
    List<MemberInfo> members = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      if (m.isLiteMember()) {
        continue; // a standalone proxy: it serves no requests itself
      }
      String address = m.getAddress().getHost() + ":" + m.getAddress().getPort();
      boolean isLocal = m.getUuid().equals(local);
      NodeDescriptor descriptor = isLocal ? self.get() : nodes.get(m.getUuid().toString());
      members.add(descriptor != null
          ? new MemberInfo(address, isLocal, descriptor)
          : MemberInfo.joining(attribute(m, ClusterMember.ATTR_NODE_ID, m.getUuid().toString()),
              address, attribute(m, ClusterMember.ATTR_HTTP, ""), isLocal));
    }
    return new ClusterSnapshot(clusterName, members.isEmpty() ? "" : members.get(0).id(), members);
  }

  /** The answer to a drain request. */
  public enum DrainAnswer {
    /** The node was asked to drain. */
    REQUESTED,
    /** The node is already draining or leaving (or was asked to). */
    ALREADY_DRAINING,
    /** The node is still joining; it can be drained once ACTIVE. */
    NOT_ACTIVE_YET,
    /** No node with that id is in the cluster. */
    UNKNOWN_NODE,
    /** It is the last ACTIVE node; draining it would leave no node to take work. */
    LAST_ACTIVE_NODE
  }

  /**
   * Asks the node with this id to drain, unless it is unknown, not yet active, already draining,
   * or the last active node. Requests are serialized cluster-wide, so two concurrent requests can
   * never drain the last two active nodes.
   */
  public DrainAnswer requestDrain(String nodeId) {
    IMap<String, String> drains = hazelcast.getMap(DRAINS);
    drains.lock(DRAINS);
    try {
      ClusterSnapshot now = snapshot();
      Optional<MemberInfo> target = now.member(nodeId);
      if (target.isEmpty()) {
        return DrainAnswer.UNKNOWN_NODE;
      }
      NodeStatus status = target.get().node().status();
      if (status == NodeStatus.JOINING) {
        return DrainAnswer.NOT_ACTIVE_YET;
      }
      if (status != NodeStatus.ACTIVE || drains.containsKey(nodeId)) {
        return DrainAnswer.ALREADY_DRAINING;
      }
      long active = now.members().stream()
          .filter(m -> m.node().status() == NodeStatus.ACTIVE && !drains.containsKey(m.id()))
          .count();
      if (active <= 1) {
        return DrainAnswer.LAST_ACTIVE_NODE;
      }
      drains.put(nodeId, self.get().id());
      send(nodeId, DRAIN);
      return DrainAnswer.REQUESTED;
    } finally {
      drains.unlock(DRAINS);
    }
  }

  /** Asks the node with this id to run a command; it runs only if that node is in the cluster. */
  public void send(String nodeId, String command) {
    commands.publish(new NodeCommand(nodeId, command, self.get().id()));
  }

  /** Runs {@code handler} with each command sent to this node. */
  public void onCommand(Consumer<String> handler) {
    commandHandlers.add(handler);
  }

  private void onCommand(NodeCommand command) {
    if (command.nodeId().equals(self.get().id())) {
      log.info("node {} received command '{}' from node {}", command.nodeId(), command.command(),
          command.from());
      commandHandlers.forEach(h -> h.accept(command.command()));
    }
  }

  /** Withdraws this node's descriptor and stops following the cluster. */
  @Override
  public void close() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    hazelcast.getCluster().removeMembershipListener(membershipListener);
    commands.removeMessageListener(commandListener);
    nodes.remove(localKey());
  }

  private String localKey() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  private static String attribute(Member member, String key, String fallback) {
    String value = member.getAttribute(key);
    return value == null ? fallback : value;
  }

  /** A command for one node, sent over the cluster's command topic. */
  private record NodeCommand(String nodeId, String command, String from) implements Serializable {}

  /** The coordinator: the oldest member that is not a lite member (a standalone proxy). */
  private static Member oldestDataMember(MembershipEvent event) {
    return event.getMembers().stream().filter(m -> !m.isLiteMember()).findFirst()
        .orElse(event.getMembers().iterator().next());
  }

  /** The coordinator removes the descriptor of a member that left without withdrawing it. */
  private final class Janitor implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      if (oldestDataMember(event).localMember()) {
        events.publish(new ClusterEvent.MemberJoined(Instant.now(),
            attribute(event.getMember(), ClusterMember.ATTR_NODE_ID, event.getMember().getUuid()
                .toString())));
      }
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      if (oldestDataMember(event).localMember()) {
        NodeDescriptor gone = nodes.remove(event.getMember().getUuid().toString());
        String id = gone != null ? gone.id() : event.getMember().getAttribute(ClusterMember.ATTR_NODE_ID);
        if (id != null) {
          hazelcast.getMap(DRAINS).remove(id);
          events.publish(new ClusterEvent.MemberLeft(Instant.now(), id));
        }
      }
    }
  }
}

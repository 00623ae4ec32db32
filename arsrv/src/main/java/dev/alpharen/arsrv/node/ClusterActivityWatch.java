package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.ClusterEvent;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.NodeDirectory;
import dev.alpharen.arhav.Health;
import dev.alpharen.arhav.HealthEvent;
import dev.alpharen.arhav.HealthView;
import dev.alpharen.arsrv.activity.Activity;
import dev.alpharen.arsrv.activity.ActivityRecorder;
import dev.alpharen.arsrv.activity.ActivityType;
import dev.alpharen.arsrv.activity.Severity;
import java.time.Instant;
import java.util.List;

/**
 * Turns what the cluster does into activities: members joining and leaving (recorded once, by the
 * coordinator that announces them), this node's failure detector suspecting a peer or seeing it
 * alive again, and the coordinator changing. {@link #runOnce()} polls the detector and the
 * directory; the node's housekeeping runs it. Not thread-safe apart from the event subscription.
 */
final class ClusterActivityWatch implements AutoCloseable {
  private final ActivityRecorder activities;
  private final NodeDirectory directory;
  private final HealthView health;
  private final AutoCloseable subscription;
  private final java.util.function.BooleanSupplier ready;
  private boolean wasReady;
  private Instant lastHealthEvent = Instant.EPOCH;
  private String coordinator;

  ClusterActivityWatch(ActivityRecorder activities, NodeDirectory directory, ClusterEvents events,
      HealthView health, java.util.function.BooleanSupplier ready) {
    this.activities = activities;
    this.ready = ready;
    this.directory = directory;
    this.health = health;
    this.coordinator = directory.snapshot().coordinator();
    this.subscription = events.subscribe(this::onEvent);
  }

  private void onEvent(ClusterEvent event) {
    if (!directory.self().id().equals(directory.snapshot().coordinator())) {
      return; // the coordinator announces membership; one record per change is enough
    }
    if (event instanceof ClusterEvent.MemberJoined joined) {
      activities.record(ActivityType.MEMBER_JOINED, Severity.NOTICE, ActivityRecorder.Scope.NONE,
          "node " + joined.nodeId() + " joined the cluster", Activity.details("member",
              joined.nodeId()));
    } else if (event instanceof ClusterEvent.MemberLeft left) {
      activities.record(ActivityType.MEMBER_LEFT, Severity.WARNING, ActivityRecorder.Scope.NONE,
          "node " + left.nodeId() + " left the cluster", Activity.details("member",
              left.nodeId()));
    }
  }

  /** {@link #runOnce()}, logging instead of throwing (a scheduled task must not throw). */
  void runGuarded() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(ClusterActivityWatch.class)
          .debug("watching the cluster for activities failed: {}", e.toString());
    }
  }

  /** Records this node turning ready, the detector's new transitions, a new coordinator. */
  void runOnce() {
    boolean readyNow = ready.getAsBoolean();
    if (readyNow && !wasReady) {
      activities.record(ActivityType.NODE_READY, Severity.INFO, "node "
          + directory.self().id() + " is ready for work");
    }
    wasReady = readyNow;
    List<HealthEvent> events = health.events();
    for (HealthEvent e : events) {
      if (!e.at().isAfter(lastHealthEvent)) {
        continue;
      }
      lastHealthEvent = e.at();
      if (e.to() == Health.SUSPECT) {
        activities.record(ActivityType.MEMBER_SUSPECTED, Severity.WARNING,
            ActivityRecorder.Scope.NONE, "node " + e.node() + " is suspected: silent for "
                + e.silence() + " ms", Activity.details("member", e.node(), "silenceMs",
                e.silence()));
      } else if (e.to() == Health.ALIVE && e.from() != Health.ALIVE) {
        activities.record(ActivityType.MEMBER_ALIVE, Severity.NOTICE,
            ActivityRecorder.Scope.NONE, "node " + e.node() + " is alive again",
            Activity.details("member", e.node(), "was", e.from().name().toLowerCase()));
      }
    }
    String now = directory.snapshot().coordinator();
    if (now != null && !now.isEmpty() && !now.equals(coordinator)) {
      if (directory.self().id().equals(now)) {
        activities.record(ActivityType.COORDINATOR_CHANGED, Severity.NOTICE,
            ActivityRecorder.Scope.NONE, "this node is the coordinator now"
                + (coordinator == null || coordinator.isEmpty() ? ""
                    : " (was " + coordinator + ")"),
            Activity.details("coordinator", now, "previous", String.valueOf(coordinator)));
      }
      coordinator = now;
    }
  }

  @Override
  public void close() throws Exception {
    subscription.close();
  }
}

package dev.alpharen.arsrv.runtime;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * Camel's view of one singleton namespace, backed by a {@link LeaseElector}: the local member is
 * leader exactly while the elector says so, checked afresh on every call, and listeners (such as
 * {@code ClusteredRoutePolicy} and the {@code master:} consumer) hear of every change. Thread-safe.
 */
final class LeaseView extends AbstractCamelClusterView {
  private final LeaseElector elector;
  private final HazelcastClusterService service;
  private final Object fireLock = new Object();
  private boolean reportedLeader;

  LeaseView(HazelcastClusterService service, String namespace, LeaseElector elector) {
    super(service, namespace);
    this.service = service;
    this.elector = elector;
  }

  /** Whether this node leads the namespace now. */
  boolean isLeaderNow() {
    return termNow().isPresent();
  }

  /** The fencing term this node leads the namespace in now, or empty. */
  OptionalLong termNow() {
    return isRunAllowed() ? elector.term(System.nanoTime()) : OptionalLong.empty();
  }

  /** The elector's step, then the events it caused. */
  void tick() {
    if (isRunAllowed()) {
      elector.runOnce(System.nanoTime());
      check();
    }
  }

  /** Tells listeners when leadership changed, including by a lease running out unrenewed. */
  void check() {
    synchronized (fireLock) {
      boolean leader = isLeaderNow();
      if (leader != reportedLeader) {
        reportedLeader = leader;
        fireLeadershipChangedEvent(getLeader().orElse(null));
      }
    }
  }

  /** The current lease, if any node holds one. */
  Optional<Lease> lease() {
    return elector.holder();
  }

  @Override
  public Optional<CamelClusterMember> getLeader() {
    if (isLeaderNow()) {
      return Optional.of(getLocalMember());
    }
    return elector.holder().map(l -> new Member(l.nodeId(), false));
  }

  @Override
  public CamelClusterMember getLocalMember() {
    return new Member(service.nodeId(), true);
  }

  @Override
  public List<CamelClusterMember> getMembers() {
    return service.memberNodeIds().stream()
        .map(id -> (CamelClusterMember) new Member(id, id.equals(service.nodeId()))).toList();
  }

  @Override
  protected void doStart() throws Exception {
    service.track(this);
  }

  @Override
  protected void doStop() throws Exception {
    service.untrack(this);
    elector.release();
    check();
  }

  /** A node as Camel sees it. */
  private final class Member implements CamelClusterMember {
    private final String id;
    private final boolean local;

    Member(String id, boolean local) {
      this.id = id;
      this.local = local;
    }

    @Override
    public boolean isLeader() {
      return local ? isLeaderNow() : elector.holder().map(l -> l.nodeId().equals(id)).orElse(false);
    }

    @Override
    public boolean isLocal() {
      return local;
    }

    @Override
    public String getId() {
      return id;
    }
  }
}

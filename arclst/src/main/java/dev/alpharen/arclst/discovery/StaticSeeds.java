package dev.alpharen.arclst.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seeds of {@code cluster.join.members}. A host name is resolved on every call, through the
 * system resolver, as Hazelcast's own TCP/IP joiner does; one that does not resolve is skipped and
 * logged once until it resolves again. Thread-safe.
 */
final class StaticSeeds implements SeedSource {
  private static final Logger log = LoggerFactory.getLogger(StaticSeeds.class);

  private final List<HostPort> members;
  private final Set<HostPort> unresolved = ConcurrentHashMap.newKeySet();

  StaticSeeds(List<HostPort> members) {
    this.members = List.copyOf(members);
  }

  @Override
  public List<InetSocketAddress> seeds() {
    List<InetSocketAddress> seeds = new ArrayList<>(members.size());
    for (HostPort m : members) {
      try {
        seeds.add(new InetSocketAddress(InetAddress.getByName(m.host()), m.port()));
        if (unresolved.remove(m)) {
          log.info("cluster.join.members: seed {} resolves again", m);
        }
      } catch (UnknownHostException e) {
        if (unresolved.add(m)) {
          log.warn("cluster.join.members: seed {} does not resolve ({}); expected a host name or"
              + " IP address, skipping it until it resolves", m, e.getMessage());
        }
      }
    }
    return seeds;
  }
}

package dev.alpharen.arclst.discovery;

import com.hazelcast.cluster.Address;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hazelcast's view of our seeds: the static members followed by what the SRV name resolves to,
 * asked afresh on every {@link #discoverNodes()} call. Thread-safe: Hazelcast calls it from its
 * joiner while the member starts and from its split-brain handler afterwards.
 */
final class SeedDiscoveryStrategy extends AbstractDiscoveryStrategy {
  private final List<SeedSource> sources;

  SeedDiscoveryStrategy(ILogger logger, Map<String, Comparable> properties,
      List<SeedSource> sources) {
    super(logger, properties);
    this.sources = List.copyOf(sources);
  }

  /** The seeds as of now, without duplicates; never throws, never null. */
  @Override
  public Iterable<DiscoveryNode> discoverNodes() {
    Set<InetSocketAddress> seeds = new LinkedHashSet<>();
    for (SeedSource source : sources) {
      seeds.addAll(source.seeds());
    }
    List<DiscoveryNode> nodes = new ArrayList<>(seeds.size());
    for (InetSocketAddress seed : seeds) {
      nodes.add(new SimpleDiscoveryNode(new Address(seed)));
    }
    return nodes;
  }
}

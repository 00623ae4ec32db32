package dev.alpharen.arclst.discovery;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a member finds addresses to try joining: a static list, a DNS name, or nothing.
 * Implementations are thread-safe: Hazelcast asks from more than one thread.
 */
interface SeedSource {
  /** No seeds: the source of a feature that is off. */
  SeedSource NONE = List::of;

  /** The seeds as of now, resolved afresh; never throws, an empty list when nothing resolves. */
  List<InetSocketAddress> seeds();
}

package dev.alpharen.arclst.discovery;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Seeds from an SRV name, resolved again on every call and logged only when the outcome changes.
 * Thread-safe.
 */
final class DnsSeeds implements SeedSource {
  private final SrvLookup lookup;
  private final ResolutionLog log;

  DnsSeeds(SrvLookup lookup, ResolutionLog log) {
    this.lookup = lookup;
    this.log = log;
  }

  @Override
  public List<InetSocketAddress> seeds() {
    Resolution outcome;
    try {
      outcome = lookup.resolve();
    } catch (RuntimeException e) {
      // Hazelcast's joiner must never see an exception from discovery; a bug here costs seeds only.
      outcome = new Resolution.Failure("unexpected " + e);
    }
    log.record(outcome);
    return outcome instanceof Resolution.Seeds s ? s.seeds() : List.of();
  }
}

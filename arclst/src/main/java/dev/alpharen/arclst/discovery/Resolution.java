package dev.alpharen.arclst.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of resolving the SRV name once: the seeds it names, or why it named none.
 * Immutable.
 */
sealed interface Resolution {

  /**
   * The server answered for the name. Immutable.
   *
   * @param seeds the addresses to try, in SRV preference order, without duplicates; empty when the
   *     name has no SRV records or none of their targets has an A record
   * @param unresolvedTargets SRV targets skipped because they have no A record, sorted
   */
  record Seeds(List<InetSocketAddress> seeds, List<String> unresolvedTargets)
      implements Resolution {
    public Seeds {
      seeds = List.copyOf(seeds);
      unresolvedTargets = List.copyOf(unresolvedTargets);
    }
  }

  /**
   * The name did not resolve: no such name, an error code, no answer in time, no server.
   * Immutable.
   *
   * @param reason what went wrong, worded the same way each time so that repeats compare equal
   */
  record Failure(String reason) implements Resolution {
    public Failure {
      Objects.requireNonNull(reason, "reason");
    }
  }
}

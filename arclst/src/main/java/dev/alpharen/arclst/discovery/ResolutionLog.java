package dev.alpharen.arclst.discovery;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the outcome of resolving the SRV name when it differs from the previous outcome, so a name
 * that stays broken costs one WARN rather than one per join attempt, and its recovery one INFO.
 * Thread-safe: Hazelcast's joiner and split-brain handler resolve from different threads.
 */
final class ResolutionLog {
  private static final Logger log = LoggerFactory.getLogger(ResolutionLog.class);

  private final String name;
  private final String server;
  private final AtomicReference<Resolution> last = new AtomicReference<>();

  /**
   * @param name the SRV name, as the operator configured it
   * @param server the DNS server asked, for the log lines
   */
  ResolutionLog(String name, String server) {
    this.name = name;
    this.server = server;
  }

  /** Records {@code outcome}; logs it and returns {@code true} when it differs from the last. */
  boolean record(Resolution outcome) {
    Resolution previous = last.getAndSet(outcome);
    if (outcome.equals(previous)) {
      return false;
    }
    if (outcome instanceof Resolution.Failure f) {
      log.warn("cluster.join.dns: {} did not resolve at {}: {}; expected SRV records naming the"
          + " members, using no seeds from DNS until it does", name, server, f.reason());
    } else if (outcome instanceof Resolution.Seeds s && s.seeds().isEmpty()) {
      log.warn("cluster.join.dns: {} resolved at {} to no usable SRV record{}; expected SRV"
              + " records naming the members, using no seeds from DNS until it has some", name,
          server, s.unresolvedTargets().isEmpty() ? ""
              : " (targets without an A record: " + s.unresolvedTargets() + ")");
    } else if (outcome instanceof Resolution.Seeds s && !s.unresolvedTargets().isEmpty()) {
      log.warn("cluster.join.dns: {} resolved at {} to {} seed(s) {}; skipped targets without an A"
          + " record: {}", name, server, s.seeds().size(), s.seeds(), s.unresolvedTargets());
    } else if (outcome instanceof Resolution.Seeds s) {
      log.info("cluster.join.dns: {} resolved at {} to {} seed(s) {}", name, server,
          s.seeds().size(), s.seeds());
    }
    return true;
  }
}

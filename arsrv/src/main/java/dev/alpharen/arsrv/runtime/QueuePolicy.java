package dev.alpharen.arsrv.runtime;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An integration's own bounds for the broker queues its routes use ({@code jms:queue:NAME},
 * {@code jms:NAME}, {@code amqp:queue:NAME} or {@code amqp:NAME}, sending or consuming),
 * overriding the cluster's {@code broker.*} defaults. Immutable.
 *
 * @param maxMessages the most messages such a queue holds on a node; 0 keeps the cluster default
 * @param maxBytes the most bytes such a queue holds on a node; 0 keeps the cluster default
 * @param fullPolicy {@code BLOCK} or {@code FAIL} at a full queue; empty keeps the cluster default
 */
public record QueuePolicy(long maxMessages, long maxBytes, String fullPolicy) {
  /** The policies a full queue may have. */
  public static final List<String> FULL_POLICIES = List.of("BLOCK", "FAIL");
  /** No override: every bound is the cluster's. */
  public static final QueuePolicy DEFAULTS = new QueuePolicy(0, 0, "");

  /**
   * A queue named literally in a {@code jms:} or {@code amqp:} URI; dynamic ({@code ${...}}) names
   * are not.
   */
  private static final Pattern BROKER_QUEUE =
      Pattern.compile("\\b(?:jms|amqp):(?!topic:)(?:queue:)?([A-Za-z0-9_.\\-]++)(?![:$])");

  public QueuePolicy {
    if (maxMessages < 0 || maxMessages > 1_000_000_000L) {
      throw new IllegalArgumentException("queue.maxMessages must be 1-1000000000 (or unset for"
          + " the cluster's broker.maxQueueMessages), was " + maxMessages);
    }
    if (maxBytes != 0 && (maxBytes < 1024 || maxBytes > 1L << 40)) {
      throw new IllegalArgumentException("queue.maxBytes must be 1024-1099511627776 (or unset for"
          + " the cluster's broker.maxQueueBytes), was " + maxBytes);
    }
    if (!fullPolicy.isEmpty() && !FULL_POLICIES.contains(fullPolicy)) {
      throw new IllegalArgumentException("queue.fullPolicy must be one of "
          + String.join(", ", FULL_POLICIES) + ", was '" + fullPolicy + "'");
    }
  }

  /** Whether this policy changes anything. */
  public boolean overrides() {
    return maxMessages != 0 || maxBytes != 0 || !fullPolicy.isEmpty();
  }

  /**
   * The queues a Camel YAML document names literally in {@code jms:} and {@code amqp:} URIs,
   * comment lines left out, in order of appearance.
   */
  public static Set<String> queuesOf(String document) {
    Set<String> queues = new LinkedHashSet<>();
    for (String line : document.split("\r?\n")) {
      if (line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = BROKER_QUEUE.matcher(line);
      while (m.find()) {
        queues.add(m.group(1));
      }
    }
    return queues;
  }
}

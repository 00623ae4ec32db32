package dev.alpharen.arsrv.activity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Which activities go to a sink: those of the listed types (all types when none are listed) of at
 * least a severity, at most {@code ratePerMinute} a minute (0: no limit). The limit is a token
 * bucket holding one minute's worth. A sink's rules are judged together by {@link #judge}: an
 * activity goes to the sink if any rule that matches it lets it through. Not thread-safe: one
 * forwarder uses it.
 *
 * @param sink the sink's name
 * @param types the types to send; empty means every type
 * @param minSeverity the least severity to send
 * @param ratePerMinute the most activities a minute this rule lets through, 0 for no limit
 */
public record Rule(String sink, Set<ActivityType> types, Severity minSeverity, int ratePerMinute,
    Bucket bucket) {
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  public Rule {
    Objects.requireNonNull(sink, "sink");
    types = Set.copyOf(types);
    Objects.requireNonNull(minSeverity, "minSeverity");
    if (ratePerMinute < 0) {
      throw new IllegalArgumentException("ratePerMinute must be 0 (no limit) or more, was "
          + ratePerMinute);
    }
  }

  public Rule(String sink, Set<ActivityType> types, Severity minSeverity, int ratePerMinute) {
    this(sink, types, minSeverity, ratePerMinute, new Bucket(ratePerMinute));
  }

  /** Whether the activity is one this rule is about (before the rate limit). */
  public boolean matches(Activity activity) {
    return activity.severity().atLeast(minSeverity)
        && (types.isEmpty() || types.contains(activity.type()));
  }

  /** What a sink's rules decide about one activity. */
  public enum Verdict {
    /** A matching rule let it through. */
    SEND,
    /** Rules match it, but each of them has spent its minute's budget. */
    SUPPRESSED,
    /** No rule is about it. */
    IGNORED
  }

  /**
   * Judges an activity against all the rules of one sink: it is sent if any matching rule lets it
   * through. A matching rule without a limit wins before any token is spent; otherwise the first
   * matching rule with a token left gives one.
   */
  public static Verdict judge(java.util.List<Rule> rules, Activity activity, long nowNanos) {
    boolean matched = false;
    for (Rule rule : rules) {
      if (rule.matches(activity)) {
        if (rule.ratePerMinute() == 0) {
          return Verdict.SEND;
        }
        matched = true;
      }
    }
    if (!matched) {
      return Verdict.IGNORED;
    }
    for (Rule rule : rules) {
      if (rule.matches(activity) && rule.admit(nowNanos)) {
        return Verdict.SEND;
      }
    }
    return Verdict.SUPPRESSED;
  }

  /** Takes a token of the rate limit at {@code nowNanos}; false if the minute's budget is spent. */
  public boolean admit(long nowNanos) {
    return ratePerMinute == 0 || bucket.take(nowNanos, ratePerMinute);
  }

  /** The rate limit's state. */
  public static final class Bucket {
    private double tokens;
    private long lastNanos = Long.MIN_VALUE;

    Bucket(int ratePerMinute) {
      this.tokens = ratePerMinute;
    }

    boolean take(long nowNanos, int ratePerMinute) {
      if (lastNanos != Long.MIN_VALUE) {
        tokens = Math.min(ratePerMinute,
            tokens + (double) (nowNanos - lastNanos) * ratePerMinute / MINUTE_NANOS);
      }
      lastNanos = nowNanos;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}

package dev.alpharen.arsrv.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code activities.*}: the activity journal (a rolling JSON-lines file under
 * {@code dir}, by default {@code <node.dataDir>/activities}), which exchanges become activities
 * ({@code capture}: off, failures, all; integrations may say otherwise), and the sinks fed from
 * the file with the {@code rules} that choose what each gets. See docs/activities.md. One section of
 * {@link NodeConfig}, checked with the rest by {@link NodeConfig#check(Problems)}.
 */
public record ActivitiesSection(String dir, int rollBytes, int keepFiles, Duration keepFor,
    int queueSize, String capture, SyslogSection syslog, WebhookSection webhook,
    JdbcSection jdbc, List<ActivityRule> rules) {
  /** The sinks rules can name. */
  public static final List<String> SINKS = List.of("syslog", "webhook", "jdbc");

  public ActivitiesSection {
    rules = List.copyOf(rules);
  }

  static ActivitiesSection defaults() {
    return new ActivitiesSection("", 67_108_864, 30, Duration.ofDays(30), 65_536, "failures",
        new SyslogSection("", 514, "udp"), new WebhookSection("", Duration.ofSeconds(10)),
        new JdbcSection("", "", ""), List.of());
  }

  /** Whether the sink of this name is configured. */
  public boolean enabled(String sink) {
    return switch (sink) {
      case "syslog" -> !syslog.host().isEmpty();
      case "webhook" -> !webhook.url().isEmpty();
      case "jdbc" -> !jdbc.url().isEmpty();
      default -> false;
    };
  }

  void check(Problems problems) {
    problems.require("activities.rollBytes", rollBytes >= 65_536,
        "must be at least 65536, was " + rollBytes);
    problems.require("activities.keepFiles", keepFiles >= 1 && keepFiles <= 100_000,
        "must be from 1 to 100000, was " + keepFiles);
    problems.require("activities.keepFor", !keepFor.isNegative() && !keepFor.isZero(),
        "must be more than 0, was " + Durations.format(keepFor));
    problems.require("activities.queueSize", queueSize >= 1024 && queueSize <= 4_194_304,
        "must be from 1024 to 4194304, was " + queueSize);
    List<String> captures = dev.alpharen.arsrv.activity.Capture.labels();
    problems.require("activities.capture", captures.contains(capture), "unknown capture '"
        + capture + "'; allowed: " + String.join(", ", captures));
    if (!syslog.host().isEmpty()) {
      problems.port("activities.syslog.port", syslog.port());
    }
    problems.require("activities.syslog.protocol", List.of("udp", "tcp")
        .contains(syslog.protocol()), "unknown protocol '" + syslog.protocol()
        + "'; allowed: udp, tcp");
    if (!webhook.url().isEmpty()) {
      boolean ok;
      try {
        java.net.URI uri = new java.net.URI(webhook.url());
        ok = ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null;
      } catch (java.net.URISyntaxException e) {
        ok = false;
      }
      problems.require("activities.webhook.url", ok, "must be an http:// or https:// URL"
          + " with a host, was '" + webhook.url() + "'");
    }
    problems.require("activities.webhook.timeout", !webhook.timeout().isNegative()
        && !webhook.timeout().isZero() && webhook.timeout().compareTo(Duration.ofMinutes(5)) <= 0,
        "must be more than 0 and at most 5m, was " + Durations.format(webhook.timeout()));
    problems.require("activities.jdbc.url", jdbc.url().isEmpty()
        || jdbc.url().startsWith("jdbc:mariadb:") || jdbc.url().startsWith("jdbc:mysql:")
        || jdbc.url().startsWith("jdbc:postgresql:"), "must start with "
        + dev.alpharen.arsrv.activity.JdbcSink.ALLOWED + ", was '" + jdbc.url() + "'");
    List<String> types = dev.alpharen.arsrv.activity.ActivityType.labels();
    List<String> severities = dev.alpharen.arsrv.activity.Severity.labels();
    for (int i = 0; i < rules.size(); i++) {
      ActivityRule rule = rules.get(i);
      String at = "activities.rules[" + i + "]";
      problems.require(at + ".sink", SINKS.contains(rule.sink()), "unknown sink '"
          + rule.sink() + "'; allowed: " + String.join(", ", SINKS));
      problems.require(at + ".sink", !SINKS.contains(rule.sink()) || enabled(rule.sink()),
          "sink '" + rule.sink() + "' is not configured (set activities." + rule.sink()
          + (rule.sink().equals("syslog") ? ".host" : ".url") + ")");
      for (String type : rule.types()) {
        problems.require(at + ".types", types.contains(type), "unknown activity type '"
            + type + "'; allowed: " + String.join(", ", types));
      }
      problems.require(at + ".minSeverity", severities.contains(rule.minSeverity()),
          "unknown severity '" + rule.minSeverity() + "'; allowed: "
          + String.join(", ", severities));
      problems.require(at + ".ratePerMinute", rule.ratePerMinute() >= 0,
          "must be 0 (no limit) or more, was " + rule.ratePerMinute());
    }
  }

  /** {@code activities.syslog.*}: an RFC 5424 receiver; an empty host means none. */
  public record SyslogSection(String host, int port, String protocol) {}

  /** {@code activities.webhook.*}: an HTTP endpoint activities are POSTed to; empty: none. */
  public record WebhookSection(String url, Duration timeout) {}

  /** {@code activities.jdbc.*}: a database activities are stored in; an empty url means none. */
  public record JdbcSection(String url, String user, String password) {
    @Override
    public String toString() {
      return "JdbcSection[url=" + url + ", user=" + user + ", password="
          + (password.isEmpty() ? "" : "***") + "]";
    }
  }

  /**
   * One rule of {@code activities.rules}: activities of {@code types} (all when empty) of at least
   * {@code minSeverity} go to {@code sink}, at most {@code ratePerMinute} a minute (0: no limit).
   */
  public record ActivityRule(String sink, List<String> types, String minSeverity,
      int ratePerMinute) {
    public ActivityRule {
      sink = sink == null ? "" : sink;
      types = types == null ? List.of() : List.copyOf(types);
      minSeverity = minSeverity == null ? "info" : minSeverity;
    }
  }
}

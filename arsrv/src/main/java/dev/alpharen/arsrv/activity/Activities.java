package dev.alpharen.arsrv.activity;

import dev.alpharen.arsrv.config.ActivitiesSection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's activities: the journal writing the rolling file, and one {@link Forwarder} per
 * configured sink fed from that file under its rules. Built from {@code activities.*}; closing
 * writes everything accepted, then stops the forwarders (they resume from their cursors at the
 * next start). Thread-safe.
 */
public final class Activities implements ActivityRecorder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Activities.class);
  /** How long recording may wait for room in a full queue: the most a route is slowed. */
  static final Duration OFFER_TIMEOUT = Duration.ofMillis(5);

  private final ActivityJournal journal;
  private final List<Forwarder> forwarders;
  private final Capture capture;

  private Activities(ActivityJournal journal, List<Forwarder> forwarders, Capture capture) {
    this.journal = journal;
    this.forwarders = List.copyOf(forwarders);
    this.capture = capture;
  }

  /**
   * Opens the file, starts the journal and the forwarders of the configured sinks.
   *
   * @param dataDir the node's data directory; the default place of the file
   */
  public static Activities start(ActivitiesSection config, Path dataDir,
      String cluster, String node, Clock clock) throws IOException {
    Path dir = config.dir().isEmpty() ? dataDir.resolve("activities") : Path.of(config.dir());
    ActivityFile file = ActivityFile.open(new ActivityFile.Settings(dir, config.rollBytes(),
        config.keepFiles(), config.keepFor()), clock);
    ActivityJournal journal = new ActivityJournal(file, cluster, node, config.queueSize(),
        OFFER_TIMEOUT, clock);
    List<Forwarder> forwarders = new ArrayList<>();
    try {
      for (ActivitySink sink : sinks(config)) {
        Forwarder f = new Forwarder(sink, rules(config, sink.name()), file, dir, clock,
            System::nanoTime).start();
        journal.onWritten(f::wakeUp);
        forwarders.add(f);
      }
    } catch (IOException | RuntimeException e) {
      forwarders.forEach(Forwarder::close);
      journal.close();
      throw e;
    }
    Capture capture = Capture.ofLabel(config.capture()).orElse(Capture.FAILURES);
    log.info("node {} records activities in {} (capture {}, sinks: {})", node, dir,
        capture.label(), forwarders.isEmpty() ? "file only"
            : "file, " + String.join(", ", sinkNames(config)));
    return new Activities(journal, forwarders, capture);
  }

  private static List<String> sinkNames(ActivitiesSection config) {
    return ActivitiesSection.SINKS.stream().filter(config::enabled).toList();
  }

  private static List<ActivitySink> sinks(ActivitiesSection config) {
    List<ActivitySink> sinks = new ArrayList<>();
    if (config.enabled("jdbc")) {
      sinks.add(new JdbcSink(config.jdbc().url(), config.jdbc().user(), config.jdbc().password()));
    }
    if (config.enabled("syslog")) {
      sinks.add(new SyslogSink(config.syslog().host(), config.syslog().port(),
          config.syslog().protocol()));
    }
    if (config.enabled("webhook")) {
      sinks.add(new WebhookSink(URI.create(config.webhook().url()), config.webhook().timeout()));
    }
    return sinks;
  }

  /**
   * The rules of one sink; without any, the database gets every activity and the alert sinks
   * (syslog, webhook) those of severity warning or worse.
   */
  static List<Rule> rules(ActivitiesSection config, String sink) {
    List<Rule> rules = config.rules().stream().filter(r -> r.sink().equals(sink))
        .map(r -> new Rule(sink, r.types().stream().map(t -> ActivityType.ofLabel(t).orElseThrow())
            .collect(Collectors.toSet()), Severity.ofLabel(r.minSeverity()).orElseThrow(),
            r.ratePerMinute())).toList();
    if (!rules.isEmpty()) {
      return rules;
    }
    return List.of(new Rule(sink, Set.of(), sink.equals("jdbc") ? Severity.DEBUG
        : Severity.WARNING, 0));
  }

  @Override
  public void record(ActivityType type, Severity severity, Scope scope, String message,
      Map<String, Object> details) {
    journal.record(type, severity, scope, message, details);
  }

  /** The journal, for durable recording and its file. */
  public ActivityJournal journal() {
    return journal;
  }

  /** Which exchanges become activities for integrations that do not say. */
  public Capture defaultCapture() {
    return capture;
  }

  /** This node's activities matching the query, newest first. */
  public List<Activity> query(ActivityQuery query) throws IOException {
    return journal.file().query(query, query.limit(), query.since());
  }

  /** What {@code /health/ready} shows: the journal's queue and drops, each sink's state. */
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("queued", journal.queued());
    d.put("dropped", journal.dropped());
    Map<String, Object> sinks = new LinkedHashMap<>();
    sinks.put("file", journal.fileDetails());
    for (Forwarder f : forwarders) {
      sinks.put(f.status().sink(), f.details());
    }
    d.put("sinks", sinks);
    return d;
  }

  /** The forwarders, for tests and health. */
  List<Forwarder> forwarders() {
    return forwarders;
  }

  /** Publishes the journal's and the sinks' {@code alpharen_activity_*} meters. */
  public void bindTo(MeterRegistry meters) {
    journal.bindTo(meters);
    forwarders.forEach(f -> f.bindTo(meters));
  }

  @Override
  public void close() {
    journal.close();
    forwarders.forEach(Forwarder::close);
  }
}

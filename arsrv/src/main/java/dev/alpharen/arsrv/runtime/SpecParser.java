package dev.alpharen.arsrv.runtime;

import dev.alpharen.arsrv.activity.Capture;
import dev.alpharen.arsrv.config.Durations;
import dev.alpharen.arwadm.IntegrationRejectedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an integration's metadata: from {@code # alpharen.<key>: <value>} comment lines before the
 * first YAML line of the document, then from options (query parameters of the PUT), which win.
 * Keys: {@value #KEYS}. Stateless and thread-safe.
 */
public final class SpecParser {
  /** The metadata keys, for messages and docs. */
  public static final String KEYS = "mode, pollers, description, retry.maxAttempts,"
      + " retry.initialDelay, retry.multiplier, retry.maxDelay, retry.jitter,"
      + " retry.durableAttempts, retry.durableInitialDelay, retry.durableMaxDelay,"
      + " queue.maxMessages, queue.maxBytes, queue.fullPolicy, capture";

  private static final List<String> KEY_LIST = List.of(KEYS.split(",\\s*"));
  private static final Pattern HEADER = Pattern.compile("#\\s*alpharen\\.([A-Za-z.]+)\\s*:\\s*(.*?)\\s*");

  /**
   * @throws IntegrationRejectedException naming the key, the rule and the line of a bad comment
   */
  public IntegrationSpec parse(String name, String document, Map<String, String> options)
      throws IntegrationRejectedException {
    if (!IntegrationSpec.NAME.matcher(name).matches()) {
      throw new IntegrationRejectedException("integration name must be 1-63 of a-z, 0-9 and '-',"
          + " not starting or ending with '-', was '" + name + "'", 0, 0);
    }
    if (document.isBlank()) {
      throw new IntegrationRejectedException("the integration document is empty; expected Camel"
          + " YAML DSL such as '- route: {from: {uri: ..., steps: [...]}}'", 1, 1);
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    String[] lines = document.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.equals("---")) {
        continue;
      }
      if (!line.startsWith("#")) {
        break; // metadata only leads the document
      }
      Matcher m = HEADER.matcher(line);
      if (m.matches()) {
        values.put(m.group(1), m.group(2));
        lineOf.put(m.group(1), i + 1);
      }
    }
    options.forEach((k, v) -> {
      values.put(k, v);
      lineOf.put(k, 0);
    });
    for (String key : values.keySet()) {
      if (!KEY_LIST.contains(key)) {
        int line = lineOf.get(key);
        throw new IntegrationRejectedException("unknown integration option '" + key + "'"
            + (line == 0 ? " (query parameter)" : "") + "; allowed: " + KEYS, line,
            line == 0 ? 0 : 1);
      }
    }
    String current = null;
    try {
      RetryPolicy d = RetryPolicy.defaults();
      current = "mode";
      Mode mode = Mode.parse("mode", values.getOrDefault("mode", Mode.ACTIVE_ACTIVE.label()));
      current = "pollers";
      Mode pollers = Mode.parse("pollers", values.getOrDefault("pollers",
          Mode.SINGLETON.label()));
      current = "retry.maxAttempts";
      int attempts = whole(current, values.get(current), d.maxAttempts());
      current = "retry.initialDelay";
      Duration initial = duration(current, values.get(current), d.initialDelay());
      current = "retry.multiplier";
      double multiplier = decimal(current, values.get(current), d.multiplier());
      current = "retry.maxDelay";
      Duration max = duration(current, values.get(current),
          d.maxDelay().compareTo(initial) < 0 ? initial : d.maxDelay());
      current = "retry.jitter";
      double jitter = decimal(current, values.get(current), d.jitter());
      RetryPolicy.Durable dd = d.durable();
      current = "retry.durableAttempts";
      int durableAttempts = whole(current, values.get(current), dd.attempts());
      current = "retry.durableInitialDelay";
      Duration durableInitial = duration(current, values.get(current), dd.initialDelay());
      current = "retry.durableMaxDelay";
      Duration durableMax = duration(current, values.get(current),
          dd.maxDelay().compareTo(durableInitial) < 0 ? durableInitial : dd.maxDelay());
      current = "retry";
      RetryPolicy retry = new RetryPolicy(attempts, initial, multiplier, max, jitter,
          new RetryPolicy.Durable(durableAttempts, durableInitial, durableMax));
      current = "queue.maxMessages";
      long queueMessages = whole(current, values.get(current), 0);
      current = "queue.maxBytes";
      long queueBytes = bytes(current, values.get(current));
      current = "queue.fullPolicy";
      QueuePolicy queue = new QueuePolicy(queueMessages, queueBytes,
          values.getOrDefault(current, "").toUpperCase(java.util.Locale.ROOT));
      current = "capture";
      String capture = values.getOrDefault("capture", "");
      if (!capture.isEmpty() && Capture.ofLabel(capture).isEmpty()) {
        throw new IllegalArgumentException("capture must be one of "
            + String.join(", ", Capture.labels()) + ", was '" + capture + "'");
      }
      return new IntegrationSpec(name, document, mode, pollers, retry,
          values.getOrDefault("description", ""), queue, capture);
    } catch (IllegalArgumentException e) {
      // RetryPolicy names the key its rule is about first
      String named = e.getMessage().split(" ", 2)[0];
      int line = lineOf.getOrDefault(named, lineOf.getOrDefault(current, 0));
      throw new IntegrationRejectedException(e.getMessage(), line, line == 0 ? 0 : 1);
    }
  }

  private static int whole(String key, String text, int fallback) {
    if (text == null) {
      return fallback;
    }
    if (!text.matches("\\d{1,9}")) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** A byte count: a whole number, optionally with a KB, MB or GB suffix (powers of 1024). */
  private static long bytes(String key, String text) {
    if (text == null) {
      return 0;
    }
    Matcher m = Pattern.compile("(\\d{1,13})\\s*([KMG]B)?").matcher(text.toUpperCase(
        java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(key + " must be a number of bytes such as 1048576, 512KB,"
          + " 64MB or 1GB, was '" + text + "'");
    }
    long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
      case "KB" -> 1L << 10;
      case "MB" -> 1L << 20;
      default -> 1L << 30;
    };
    return Long.parseLong(m.group(1)) * unit;
  }

  private static double decimal(String key, String text, double fallback) {
    if (text == null) {
      return fallback;
    }
    if (!text.matches("\\d{1,6}(\\.\\d{1,6})?")) {
      throw new IllegalArgumentException(key + " must be a number such as 2 or 0.15, was '"
          + text + "'");
    }
    return Double.parseDouble(text);
  }

  private static Duration duration(String key, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    if (!Durations.isValid(text)) {
      throw new IllegalArgumentException(key + " must be a duration such as 500ms, 30s, 5m or 1h,"
          + " was '" + text + "'");
    }
    return Durations.parse(text);
  }
}

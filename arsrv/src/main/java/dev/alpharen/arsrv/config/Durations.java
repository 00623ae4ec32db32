package dev.alpharen.arsrv.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes durations as people write them in configuration: {@code 500ms, 30s, 5m, 1h}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code <whole number><unit>} with unit ms, s, m, h or d.
   *
   * @throws IllegalArgumentException naming the allowed form
   */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 500ms, 30s, 5m, 1h or 1d, got \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Whether {@link #parse} accepts the text. */
  public static boolean isValid(String text) {
    return FORM.matcher(text.trim()).matches();
  }

  /** The shortest exact form {@link #parse} reads back. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms != 0) {
      return ms / 86_400_000 + "d";
    } else if (ms % 3_600_000 == 0 && ms != 0) {
      return ms / 3_600_000 + "h";
    } else if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    } else if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}

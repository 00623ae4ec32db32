package dev.alpharen.arsrv.activity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which exchanges of an integration become activities: none, the failing ones (failed, retried,
 * dead-lettered; the default) or all of them (received and completed too).
 */
public enum Capture {
  OFF,
  FAILURES,
  ALL;

  /** The label: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every label. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(Capture::label).toList();
  }

  /** The capture with this label, if any. */
  public static Optional<Capture> ofLabel(String label) {
    return Arrays.stream(values()).filter(c -> c.label().equals(label)).findFirst();
  }
}

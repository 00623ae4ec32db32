package dev.alpharen.arsrv.runtime;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Where an integration's consumers run. */
public enum Mode {
  /** On every node. */
  ACTIVE_ACTIVE,
  /** On exactly one node at a time, moving when that node dies or drains. */
  SINGLETON;

  /** The name users write: {@code active-active}, {@code singleton}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** @throws IllegalArgumentException naming the allowed values */
  public static Mode parse(String key, String text) {
    for (Mode m : values()) {
      if (m.label().equals(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException(key + " must be one of "
        + Arrays.stream(values()).map(Mode::label).collect(Collectors.joining(", "))
        + ", was '" + text + "'");
  }
}

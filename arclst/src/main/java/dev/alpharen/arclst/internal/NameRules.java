package dev.alpharen.arclst.internal;

import java.time.Duration;

/**
 * The rules for names and time-to-live values of shared state, with error messages that state the
 * rule and show the offending value. Stateless and thread-safe.
 */
public final class NameRules {
  /** Longest name allowed, in characters. */
  public static final int MAX_LENGTH = 200;

  private NameRules() {}

  /**
   * Returns {@code name} if it is 1 to {@link #MAX_LENGTH} characters without control characters.
   *
   * @param what what the name names, for the message: "variable name", "registry entry name"
   */
  public static String check(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " must be 1-" + MAX_LENGTH + " characters, was "
          + (name == null ? "null" : "empty"));
    }
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " must be 1-" + MAX_LENGTH + " characters, was "
          + name.length() + " characters: '" + name.substring(0, 20) + "...'");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(what + " must not contain control characters, found "
            + String.format("U+%04X", (int) c) + " at index " + i + " of '"
            + name.replaceAll("\\p{Cntrl}", "?") + "'");
      }
    }
    return name;
  }

  /** Returns {@code ttl} if it is positive. */
  public static Duration checkTtl(String name, Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException(
          "ttl of '" + name + "' must be positive (omit it for no expiry), was " + ttl);
    }
    return ttl;
  }
}

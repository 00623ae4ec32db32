package dev.alpharen.arsrv.activity;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How much an {@link Activity} matters, least first; each maps to an RFC 5424 severity code so
 * that syslog receivers filter it as they filter everything else.
 */
public enum Severity {
  DEBUG(7),
  INFO(6),
  NOTICE(5),
  WARNING(4),
  ERROR(3),
  CRITICAL(2);

  private final int syslogCode;

  Severity(int syslogCode) {
    this.syslogCode = syslogCode;
  }

  /** The RFC 5424 severity code (0 emergency … 7 debug). */
  public int syslogCode() {
    return syslogCode;
  }

  /** The label: the name in lower case ({@code warning}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this severity is {@code other} or worse. */
  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }

  /** Every label, least first. */
  public static List<String> labels() {
    return Arrays.stream(values()).map(Severity::label).toList();
  }

  /** The severity with this label, if any. */
  public static Optional<Severity> ofLabel(String label) {
    return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst();
  }

  @Override
  public String toString() {
    return label();
  }
}

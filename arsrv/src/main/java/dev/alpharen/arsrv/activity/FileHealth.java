package dev.alpharen.arsrv.activity;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the journal's file takes its writes: the failed writes so far and, while it fails, since
 * when and why. Written by the journal's writer, read by health and metrics. Thread-safe.
 */
final class FileHealth {
  private final AtomicLong failures = new AtomicLong();
  private volatile Instant downSince; // null while the file takes every write
  private volatile String error = "";

  /** A write failed at {@code now}. */
  void failed(IOException e, Instant now) {
    failures.incrementAndGet();
    if (downSince == null) {
      downSince = now;
    }
    error = e.toString();
  }

  /** A write succeeded; returns since when the file had failed, or null if it was up. */
  Instant wrote() {
    Instant was = downSince;
    if (was != null) {
      downSince = null;
      error = "";
    }
    return was;
  }

  boolean up() {
    return downSince == null;
  }

  String error() {
    return error;
  }

  /** The failed writes so far, for the meter. */
  AtomicLong failures() {
    return failures;
  }

  /** Up, or down with the error and since when; the writes and failures so far. */
  Map<String, Object> details(long written) {
    Instant since = downSince;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state", since == null ? "up" : "down");
    if (since != null) {
      d.put("error", error);
      d.put("downSince", since.toString());
    }
    d.put("written", written);
    d.put("failures", failures.get());
    return d;
  }
}

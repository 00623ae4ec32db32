package dev.alpharen.arsrv.node;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether the node is ready for work: one named check per component, each either ready or not with
 * a reason. The node is ready only when every check is. Thread-safe.
 */
public final class Readiness {
  private static final String READY = "ready";

  private final Map<String, String> checks = new ConcurrentHashMap<>();
  private final Map<String, Supplier<String>> watched = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Object>> details = new ConcurrentHashMap<>();

  /** Marks a check not ready, saying why (for example "joining cluster"). */
  public void notReady(String check, String reason) {
    checks.put(check, reason);
  }

  /** Marks a check ready. */
  public void ready(String check) {
    checks.put(check, READY);
  }

  /** Adds a check asked at every query: the reason it is not ready, or "" when it is. */
  public void watch(String check, Supplier<String> reason) {
    watched.put(check, reason);
  }

  /**
   * Adds details shown with the checks that do not decide readiness, such as the state of the
   * activity sinks (a sink that is down degrades the node but does not stop its work).
   */
  public void detail(String name, Supplier<Object> value) {
    details.put(name, value);
  }

  /** The details, sorted by name, asked now. */
  public Map<String, Object> details() {
    Map<String, Object> all = new TreeMap<>();
    details.forEach((name, value) -> all.put(name, value.get()));
    return all;
  }

  /** Whether one check, set with {@link #ready} or {@link #notReady}, is ready. */
  public boolean isReady(String check) {
    return READY.equals(checks.get(check));
  }

  public boolean isReady() {
    return !checks.isEmpty() && checks().values().stream().allMatch(READY::equals);
  }

  /** Every check and its state, sorted by name: "ready" or the reason it is not. */
  public Map<String, String> checks() {
    Map<String, String> all = new TreeMap<>(checks);
    watched.forEach((check, reason) -> {
      String why = reason.get();
      all.put(check, why.isEmpty() ? READY : why);
    });
    return all;
  }
}

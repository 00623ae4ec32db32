package dev.alpharen.arsrv.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Collects configuration problems so that all of them are reported at once, each prefixed with
 * where the value came from (file and line, environment variable, or {@code --set} flag) and the
 * key path. Not thread-safe; one per load.
 */
public final class Problems {
  private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

  private final Function<String, String> originOf;
  private final List<String> messages = new ArrayList<>();

  /** @param originOf maps a key path to where its value came from, e.g. {@code node.yaml:12} */
  Problems(Function<String, String> originOf) {
    this.originOf = originOf;
  }

  /** Records a problem with the value at {@code path}. */
  public void add(String path, String message) {
    String origin = originOf.apply(path);
    messages.add((origin.isEmpty() ? "" : origin + ": ") + path + ": " + message);
  }

  /** Records a problem that belongs to no key (unreadable file, syntax error). */
  void addRaw(String message) {
    messages.add(message);
  }

  /** Records {@code message} at {@code path} unless {@code ok}. */
  public void require(String path, boolean ok, String message) {
    if (!ok) {
      add(path, message);
    }
  }

  /** A TCP/UDP port, where 0 means "pick a free one". */
  public void port(String path, int port) {
    require(path, port >= 0 && port <= 65535,
        port + " is out of range; allowed 0-65535 (0 picks a free port)");
  }

  /** A name that must be usable as a DNS label (node ids and cluster names appear in DNS). */
  public void dnsLabel(String path, String value) {
    require(path, DNS_LABEL.matcher(value).matches(),
        "\"" + value + "\" is not allowed; use 1-63 letters, digits and '-', not starting or"
            + " ending with '-'");
  }

  /** A {@code host:port} address with a port from 1 to 65535. */
  public void hostPort(String path, String value) {
    int colon = value.lastIndexOf(':');
    boolean ok = colon > 0 && colon < value.length() - 1;
    if (ok) {
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        ok = port >= 1 && port <= 65535;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    require(path, ok, "\"" + value + "\" is not an address; expected host:port with port 1-65535");
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }
}

package dev.alpharen.arclst.discovery;

/**
 * A {@code host:port} pair as written in the configuration; the host is a name or an IP literal
 * (IPv6 in brackets) and is not resolved here. Immutable.
 *
 * @param host the host name or IP literal, without brackets
 * @param port 1-65535
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
  }

  /**
   * Parses {@code value} read from configuration key {@code key}.
   *
   * @throws IllegalArgumentException naming the key, the value and the expected form
   */
  public static HostPort parse(String key, String value) {
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? "" : value.substring(0, colon);
    String port = colon < 0 ? "" : value.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      host = ""; // an IPv6 literal needs brackets, or the port is ambiguous
    }
    if (host.isBlank() || port.isEmpty() || port.length() > 5
        || !port.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not an address; expected"
          + " host:port with port 1-65535 (IPv6 in brackets: [::1]:53)");
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}

package dev.alpharen.arclst;

import java.io.Serializable;

/**
 * The ports a node serves on its advertised host; 0 means the node does not serve that service.
 * Immutable.
 *
 * @param http the node HTTP server (API, health, console, integration endpoints)
 * @param broker the message broker's acceptor
 * @param proxy ARDPX, the reverse proxy
 * @param dns the internal DNS server
 */
public record NodePorts(int http, int broker, int proxy, int dns) implements Serializable {
  public NodePorts {
    check("http", http);
    check("broker", broker);
    check("proxy", proxy);
    check("dns", dns);
  }

  private static void check(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " port must be 0-65535 (0 = not served), was " + port);
    }
  }
}

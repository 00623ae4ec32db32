package dev.alpharen.arsrv.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Resolves configured ports: 0 becomes a free port, any other is checked to be bindable. */
final class Ports {
  private Ports() {}

  /**
   * @param key the configuration key, for the error message
   * @return {@code port}, or a free port if it was 0
   */
  static int resolve(String host, int port, String key) throws StartupException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StartupException(key + " " + port + " on " + host + " is not available ("
          + e.getMessage() + "); choose another " + key + " (0 picks a free port)", e);
    }
  }
}

package dev.alpharen.arhav.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A node's internal DNS server: authoritative for the cluster's zone ({@code <cluster>.<suffix>},
 * e.g. {@code prod.arclst.}), answering over UDP and TCP on one address and port from the cluster
 * view of the moment, which it asks for on every query. It publishes each node's address
 * ({@code <node-id>.<zone>} A/AAAA, TXT with status and readiness) and, for the nodes ready to
 * work, the SRV names {@code _http._tcp}, {@code _broker._tcp} and {@code _arclst._tcp}, nearest
 * node first by SRV priority. It is no resolver: names outside the zone are REFUSED, nothing is
 * ever recursed. What it answers is {@link ZoneAnswerer}'s; how, {@link PacketAnswerer}'s.
 *
 * <p>Thread-safe. Runs daemon threads {@code dns-udp-<port>}, {@code dns-tcp-<port>} and
 * {@code dns-tcp-<port>-<n>} (one per open TCP connection) until {@link #close()}.
 */
public final class InternalDnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InternalDnsServer.class);
  /** Port 0 picks a free TCP port, which UDP may have taken; then try another. */
  private static final int FREE_PORT_ATTEMPTS = 10;

  private final UdpListener udp;
  private final TcpListener tcp;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InternalDnsServer(UdpListener udp, TcpListener tcp, int port) {
    this.udp = udp;
    this.tcp = tcp;
    this.port = port;
  }

  /**
   * Starts UDP and TCP listeners on {@code host:port}.
   *
   * @param host the address to bind (e.g. the node's cluster address; loopback in tests); it is
   *     also what {@code ns.<zone>} resolves to
   * @param port the port for both transports, 0 for a free one
   * @param zone the absolute zone name with its trailing dot, e.g. {@code prod.arclst.}
   * @param nodes called on every query; the cluster's nodes ordered nearest-first from this node
   * @throws IOException if either listener cannot bind
   */
  public static InternalDnsServer start(String host, int port, String zone,
      Supplier<List<DnsNode>> nodes) throws IOException {
    return start(host, port, zone, nodes, TcpLimits.DEFAULT);
  }

  /** As {@link #start(String, int, String, Supplier)}, with other TCP limits (for tests). */
  static InternalDnsServer start(String host, int port, String zone,
      Supplier<List<DnsNode>> nodes, TcpLimits limits) throws IOException {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(nodes, "nodes");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("DNS port " + port
          + " is out of range; allowed 0-65535 (0 picks a free port)");
    }
    Name zoneName = zoneName(zone);
    InetAddress address = InetAddress.getByName(host);
    PacketAnswerer answerer = new PacketAnswerer(new ZoneAnswerer(zoneName, address), nodes);
    int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      ServerSocket server = bindTcp(address, port);
      int bound = server.getLocalPort();
      DatagramSocket socket;
      try {
        socket = new DatagramSocket(new InetSocketAddress(address, bound));
      } catch (IOException e) {
        server.close();
        if (attempt < attempts) {
          continue;
        }
        throw new IOException("internal DNS cannot listen on UDP " + hostPort(address, bound)
            + ": " + e.getMessage(), e);
      }
      InternalDnsServer dns = new InternalDnsServer(new UdpListener(socket, answerer),
          new TcpListener(server, answerer, limits), bound);
      log.info("internal DNS for zone {} listening on {} (UDP and TCP)", zoneName,
          hostPort(address, bound));
      return dns;
    }
  }

  /** The port both listeners are bound to. */
  public int port() {
    return port;
  }

  /** Stops both listeners and closes their connections; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tcp.close();
      udp.close();
      log.info("internal DNS on port {} stopped", port);
    }
  }

  private static ServerSocket bindTcp(InetAddress address, int port) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true); // restart at once although old connections sit in TIME_WAIT
      server.bind(new InetSocketAddress(address, port));
      return server;
    } catch (IOException e) {
      server.close();
      throw new IOException("internal DNS cannot listen on TCP " + hostPort(address, port) + ": "
          + e.getMessage(), e);
    }
  }

  private static Name zoneName(String zone) {
    if (zone == null || !zone.endsWith(".") || zone.equals(".")) {
      throw new IllegalArgumentException("DNS zone \"" + zone + "\" is not allowed; it must be"
          + " absolute (end with a dot) and below the root, e.g. prod.arclst.");
    }
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("DNS zone \"" + zone + "\" is not a DNS name: "
          + e.getMessage(), e);
    }
  }

  private static String hostPort(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }
}

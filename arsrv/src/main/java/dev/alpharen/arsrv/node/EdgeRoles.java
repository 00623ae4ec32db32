package dev.alpharen.arsrv.node;

import dev.alpharen.arclst.ClusterView;
import dev.alpharen.arclst.MemberInfo;
import dev.alpharen.ardpx.ProxyLimits;
import dev.alpharen.ardpx.ProxyServer;
import dev.alpharen.ardpx.ProxySettings;
import dev.alpharen.ardpx.ProxyTls;
import dev.alpharen.ardpx.TlsKeys;
import dev.alpharen.arhav.NodePicker;
import dev.alpharen.arhav.dns.DnsNode;
import dev.alpharen.arhav.dns.InternalDnsServer;
import dev.alpharen.arsrv.config.NodeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The roles that face clients outside the cluster: the internal DNS server (role {@code dns}) and
 * the ARDPX reverse proxy (role {@code ardpx}). Both answer from the live cluster view, nearest
 * first as this node's picker orders the members; a role the node does not play is not started.
 * Not thread-safe for start and close; the servers themselves are.
 */
final class EdgeRoles implements AutoCloseable {
  private final InternalDnsServer dns;
  private final ProxyServer proxy;

  private EdgeRoles(InternalDnsServer dns, ProxyServer proxy) {
    this.dns = dns;
    this.proxy = proxy;
  }

  static EdgeRoles start(NodeConfig config, ClusterView cluster, NodePicker picker,
      MeterRegistry meters) throws StartupException {
    InternalDnsServer dns = config.plays("dns") ? startDns(config, cluster, picker) : null;
    try {
      ProxyServer proxy = config.plays("ardpx")
          ? startProxy(config.proxy(), cluster, picker, meters) : null;
      return new EdgeRoles(dns, proxy);
    } catch (StartupException e) {
      if (dns != null) {
        dns.close();
      }
      throw e;
    }
  }

  /** The DNS server's port, or 0 when this node does not play the dns role. */
  int dnsPort() {
    return dns == null ? 0 : dns.port();
  }

  /** The proxy's port, or 0 when this node does not play the ardpx role. */
  int proxyPort() {
    return proxy == null ? 0 : proxy.port();
  }

  /** The proxy's TLS port, or 0 when it has none. */
  int proxyTlsPort() {
    return proxy == null ? 0 : proxy.tlsPort();
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  /** Starts ARDPX from its configuration section; also used by the standalone proxy. */
  static ProxyServer startProxy(NodeConfig.ProxySection p, ClusterView cluster,
      NodePicker picker, MeterRegistry meters) throws StartupException {
    ProxyTls tls;
    try {
      tls = tls(p);
    } catch (IllegalArgumentException e) {
      String key = p.keyStore().isEmpty() ? "proxy.certificate/proxy.privateKey"
          : "proxy.keyStore";
      throw new StartupException(key + ": " + e.getMessage(), e);
    }
    try {
      return ProxyServer.start(new ProxySettings(p.host(), p.port(), tls,
          new ProxyLimits(p.requestTimeout(), p.clientTimeout(), p.idleTimeout(),
              p.maxHeaderBytes(), p.maxBodyBytes()), 2, p.accessLog()), picker, cluster, meters);
    } catch (IOException e) {
      throw new StartupException(e.getMessage() + "; choose other ports (0 picks a free"
          + " port for proxy.port) or leave out the ardpx role", e);
    }
  }

  private static ProxyTls tls(NodeConfig.ProxySection p) {
    if (p.tlsPort() == 0) {
      return ProxyTls.off();
    }
    return ProxyTls.on(p.tlsPort(), p.keyStore().isEmpty()
        ? TlsKeys.fromPem(Path.of(p.certificate()), Path.of(p.privateKey()))
        : TlsKeys.fromKeyStore(Path.of(p.keyStore()), p.keyStorePassword()), p.redirectHttp());
  }

  private static InternalDnsServer startDns(NodeConfig config, ClusterView cluster,
      NodePicker picker) throws StartupException {
    String zone = config.dns().zone(config.cluster().name());
    try {
      return InternalDnsServer.start(config.cluster().host(), config.dns().port(), zone,
          () -> dnsNodes(cluster, picker));
    } catch (IOException e) {
      throw new StartupException("dns.port " + config.dns().port() + " on "
          + config.cluster().host() + " is not available (" + e.getMessage()
          + "); choose another dns.port (0 picks a free port) or leave out the dns role", e);
    }
  }

  /** Every member for the DNS server, nearest first as this node's picker orders them. */
  private static List<DnsNode> dnsNodes(ClusterView cluster, NodePicker picker) {
    List<String> order = picker.candidates().stream().map(MemberInfo::id).toList();
    List<MemberInfo> members = new ArrayList<>(cluster.snapshot().members());
    members.sort(Comparator.comparingInt(m -> order.contains(m.id()) ? order.indexOf(m.id())
        : Integer.MAX_VALUE));
    List<DnsNode> nodes = new ArrayList<>();
    for (MemberInfo m : members) {
      int clusterPort = Integer.parseInt(m.address().substring(m.address().lastIndexOf(':') + 1));
      nodes.add(new DnsNode(m.id(), m.node().host(), m.node().ports().http(),
          m.node().ports().broker(), clusterPort, m.node().status().name(),
          order.contains(m.id())));
    }
    return nodes;
  }
}

package dev.alpharen.arsrv.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of a node, as read from one YAML file, the environment and {@code --set}
 * flags (see {@link ConfigLoader}). Each section is the slice one component gets. Immutable; the
 * rules that tie values to what is allowed live in {@link #check(Problems)} so that every problem
 * can be reported at once.
 */
public record NodeConfig(
    NodeSection node,
    ClusterSection cluster,
    HttpSection http,
    BrokerSection broker,
    ProxySection proxy,
    DnsSection dns,
    SecuritySection security,
    HavSection hav,
    IntegrationsSection integrations,
    ActivitiesSection activities) {

  /** The roles a node can play; by default it plays all of them. */
  public static final List<String> ROLES = List.of("arsrv", "ardpx", "arwadm", "armail", "dns");

  public NodeConfig {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(hav, "hav");
    Objects.requireNonNull(integrations, "integrations");
    Objects.requireNonNull(activities, "activities");
  }

  /** The embedded defaults: a single-node cluster on 127.0.0.1 with every role. */
  public static NodeConfig defaults(String nodeId) {
    return new NodeConfig(
        new NodeSection(nodeId, "default", "./data", ROLES, Duration.ofSeconds(30),
            Duration.ofSeconds(5)),
        new ClusterSection("alpha-ren", "127.0.0.1", 5701, new JoinSection(List.of(), false, "", "")),
        new HttpSection("127.0.0.1", 8080, ""),
        BrokerSection.defaults(),
        ProxySection.defaults(),
        new DnsSection(5353, "arclst."),
        new SecuritySection(""),
        havDefaults(),
        new IntegrationsSection(""),
        ActivitiesSection.defaults());
  }

  private static HavSection havDefaults() {
    dev.alpharen.arhav.ProbeSettings d = dev.alpharen.arhav.ProbeSettings.defaults();
    return new HavSection(d.interval(), d.timeout(), d.suspectAfter(), d.removeAfter(),
        d.shareInterval());
  }

  /** Reports every value that is well-typed but not allowed. */
  public void check(Problems problems) {
    problems.dnsLabel("node.id", node.id());
    problems.dnsLabel("node.lan", node.lan());
    problems.require("node.dataDir", !node.dataDir().isBlank(), "must not be empty");
    problems.require("node.roles", !node.roles().isEmpty(),
        "must name at least one role; allowed: " + String.join(", ", ROLES));
    for (int i = 0; i < node.roles().size(); i++) {
      String role = node.roles().get(i);
      problems.require("node.roles[" + i + "]", ROLES.contains(role),
          "unknown role '" + role + "'; allowed: " + String.join(", ", ROLES));
      problems.require("node.roles[" + i + "]", node.roles().indexOf(role) == i,
          "role '" + role + "' is listed twice");
    }
    problems.require("node.shutdownTimeout",
        !node.shutdownTimeout().isNegative() && !node.shutdownTimeout().isZero()
            && node.shutdownTimeout().compareTo(Duration.ofHours(1)) <= 0,
        "must be more than 0 and at most 1h, was " + Durations.format(node.shutdownTimeout()));
    problems.require("node.drainGrace",
        !node.drainGrace().isNegative() && node.drainGrace().compareTo(Duration.ofMinutes(10)) <= 0,
        "must be from 0 to 10m, was " + Durations.format(node.drainGrace()));
    problems.dnsLabel("cluster.name", cluster.name());
    problems.require("cluster.host", !cluster.host().isBlank(), "must not be empty");
    problems.port("cluster.port", cluster.port());
    for (int i = 0; i < cluster.join().members().size(); i++) {
      problems.hostPort("cluster.join.members[" + i + "]", cluster.join().members().get(i));
    }
    if (!cluster.join().dnsServer().isEmpty()) {
      problems.hostPort("cluster.join.dnsServer", cluster.join().dnsServer());
    }
    problems.require("http.host", !http.host().isBlank(), "must not be empty");
    problems.port("http.port", http.port());
    if (!http.advertise().isEmpty()) {
      problems.hostPort("http.advertise", http.advertise());
    }
    broker.check(problems);
    proxy.check(problems);
    problems.port("dns.port", dns.port());
    problems.require("dns.suffix", dns.suffix().matches("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"),
        "\"" + dns.suffix() + "\" is not a DNS suffix; expected labels each followed by a dot, such"
            + " as arclst. or dc1.example.");
    problems.require("security.adminPassword",
        security.adminPassword().isEmpty() || security.adminPassword().length() >= 8,
        "must be at least 8 characters, or empty to generate one");
    try {
      hav.probeSettings();
    } catch (IllegalArgumentException e) {
      problems.add("hav", e.getMessage());
    }
    activities.check(problems);
  }

  /** Whether this node plays the role. */
  public boolean plays(String role) {
    return node.roles().contains(role);
  }

  /**
   * {@code node.*}: who this node is, where it keeps its data, and how it stops: a drained node
   * keeps serving for {@code drainGrace} after turning not-ready, so that callers notice first.
   */
  public record NodeSection(String id, String lan, String dataDir, List<String> roles,
      Duration shutdownTimeout, Duration drainGrace) {
    public NodeSection {
      roles = List.copyOf(roles);
    }
  }

  /** {@code cluster.*}: the embedded Hazelcast member. Port 0 picks a free port. */
  public record ClusterSection(String name, String host, int port, JoinSection join) {}

  /**
   * {@code cluster.join.*}: how the member finds the others. An empty {@code dns} means "no SRV
   * name"; an empty {@code dnsServer} means "the system's resolver".
   */
  public record JoinSection(List<String> members, boolean multicast, String dns, String dnsServer) {
    public JoinSection {
      members = List.copyOf(members);
    }
  }

  /**
   * {@code http.*}: the node's HTTP server (API, health, console, integration endpoints).
   * {@code advertise} ({@code host:port}) is how other nodes and clients reach it when that is not
   * {@code host:port} itself (NAT, port forwarding, a relay); empty means the bound address.
   */
  public record HttpSection(String host, int port, String advertise) {}

  /**
   * {@code broker.*}: the embedded Artemis broker: its acceptor (CORE, AMQP, OpenWire), who may use
   * it, how the brokers of the cluster back each other up, and how full a queue may get.
   */
  public record BrokerSection(String host, int port, List<BrokerUser> users, String clusterPassword,
      boolean ha, int backupPortOffset, int maxQueueMessages, int maxQueueBytes,
      String fullPolicy, Duration blockTimeout, int tlsPort, String keyStore,
      String keyStorePassword) {

    /** What a queue does with a new message once it holds its maximum. */
    public static final List<String> FULL_POLICIES = List.of("BLOCK", "FAIL");
    /** The broker roles a user can hold. */
    public static final List<String> BROKER_ROLES = List.of("send", "consume", "admin");

    public BrokerSection {
      users = List.copyOf(users);
    }

    static BrokerSection defaults() {
      return new BrokerSection("127.0.0.1", 61616, List.of(), "", true, 100, 100_000,
          104_857_600, "FAIL", Duration.ofSeconds(5), 0, "", "");
    }

    void check(Problems problems) {
      problems.require("broker.host", !host.isBlank(), "must not be empty");
      problems.port("broker.port", port);
      for (int i = 0; i < users.size(); i++) {
        BrokerUser user = users.get(i);
        String at = "broker.users[" + i + "]";
        problems.require(at + ".name", user.name().matches("[A-Za-z0-9._-]{1,64}"),
            "must be 1 to 64 letters, digits, '.', '_' or '-', was '" + user.name() + "'");
        problems.require(at + ".password", user.password().length() >= 8,
            "must have at least 8 characters");
        problems.require(at + ".roles", !user.roles().isEmpty(),
            "must name at least one role; allowed: " + String.join(", ", BROKER_ROLES));
        for (String role : user.roles()) {
          problems.require(at + ".roles", BROKER_ROLES.contains(role),
              "unknown role '" + role + "'; allowed: " + String.join(", ", BROKER_ROLES));
        }
        for (int j = 0; j < i; j++) {
          problems.require(at + ".name", !users.get(j).name().equals(user.name()),
              "user '" + user.name() + "' is listed twice");
        }
      }
      problems.require("broker.clusterPassword",
          clusterPassword.isEmpty() || clusterPassword.length() >= 16,
          "must be empty (generated and shared through the cluster) or at least 16 characters");
      problems.require("broker.backupPortOffset", backupPortOffset >= 1
          && backupPortOffset <= 10_000 && (port == 0 || port + backupPortOffset <= 65_535),
          "must be from 1 to 10000 and keep broker.port + offset a port, was " + backupPortOffset);
      problems.require("broker.maxQueueMessages", maxQueueMessages >= 1,
          "must be at least 1, was " + maxQueueMessages);
      problems.require("broker.maxQueueBytes", maxQueueBytes >= 65_536,
          "must be at least 65536, was " + maxQueueBytes);
      problems.require("broker.fullPolicy", FULL_POLICIES.contains(fullPolicy),
          "unknown policy '" + fullPolicy + "'; allowed: " + String.join(", ", FULL_POLICIES));
      problems.require("broker.blockTimeout", !blockTimeout.isNegative()
          && blockTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
          "must be from 0 to 1m, was " + Durations.format(blockTimeout));
      if (tlsPort != 0) {
        problems.port("broker.tlsPort", tlsPort);
        problems.require("broker.keyStore", !keyStore.isBlank(),
            "must name a PKCS12 or JKS key store when broker.tlsPort is set");
      }
    }
  }

  /** One broker user: a name, a password and its roles ({@code send}, {@code consume}, {@code admin}). */
  public record BrokerUser(String name, String password, List<String> roles) {
    public BrokerUser {
      roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
      return "BrokerUser[name=" + name + ", roles=" + roles + "]";
    }
  }

  /**
   * {@code proxy.*}: ARDPX, the reverse proxy (role {@code ardpx}): where it listens (HTTP, and
   * TLS on {@code tlsPort} unless 0, from a PEM pair or a PKCS12 key store), how long a request
   * may take ({@code requestTimeout}: 504; {@code clientTimeout}: 408; {@code idleTimeout}: idle
   * connections close), how large it may be, and whether each request is access-logged.
   */
  public record ProxySection(String host, int port, Duration requestTimeout, int maxHeaderBytes,
      int maxBodyBytes, int tlsPort, String certificate, String privateKey, String keyStore,
      String keyStorePassword, boolean redirectHttp, Duration clientTimeout,
      Duration idleTimeout, boolean accessLog) {

    static ProxySection defaults() {
      return new ProxySection("127.0.0.1", 8000, Duration.ofSeconds(30), 16_384, 10_485_760, 0,
          "", "", "", "", false, Duration.ofSeconds(10), Duration.ofSeconds(60), true);
    }

    void check(Problems problems) {
      problems.require("proxy.host", !host.isBlank(), "must not be empty");
      problems.port("proxy.port", port);
      upToAnHour(problems, "proxy.requestTimeout", requestTimeout);
      upToAnHour(problems, "proxy.clientTimeout", clientTimeout);
      upToAnHour(problems, "proxy.idleTimeout", idleTimeout);
      problems.require("proxy.maxHeaderBytes", maxHeaderBytes >= 1024
          && maxHeaderBytes <= 1_048_576, "must be from 1024 to 1048576, was " + maxHeaderBytes);
      problems.require("proxy.maxBodyBytes", maxBodyBytes >= 0,
          "must be at least 0, was " + maxBodyBytes);
      if (tlsPort == 0) {
        problems.require("proxy.redirectHttp", !redirectHttp,
            "needs a TLS listener to redirect to; set proxy.tlsPort");
        return;
      }
      problems.port("proxy.tlsPort", tlsPort);
      problems.require("proxy.tlsPort", tlsPort != port,
          "must differ from proxy.port (" + port + ")");
      boolean pem = !certificate.isEmpty() || !privateKey.isEmpty();
      if (pem && !keyStore.isEmpty()) {
        problems.add("proxy.keyStore", "give either proxy.certificate with proxy.privateKey (PEM)"
            + " or proxy.keyStore (PKCS12), not both");
      } else if (pem) {
        readable(problems, "proxy.certificate", certificate, "the PEM certificate chain");
        readable(problems, "proxy.privateKey", privateKey, "the PEM private key");
      } else if (keyStore.isEmpty()) {
        problems.add("proxy.tlsPort", "TLS needs a key: set proxy.certificate and"
            + " proxy.privateKey (PEM files) or proxy.keyStore (PKCS12) with"
            + " proxy.keyStorePassword");
      } else {
        readable(problems, "proxy.keyStore", keyStore, "the PKCS12 key store");
      }
    }

    private static void upToAnHour(Problems problems, String key, Duration value) {
      problems.require(key, !value.isNegative() && !value.isZero()
          && value.compareTo(Duration.ofHours(1)) <= 0,
          "must be more than 0 and at most 1h, was " + Durations.format(value));
    }

    private static void readable(Problems problems, String key, String file, String what) {
      if (file.isEmpty()) {
        problems.add(key, "must name " + what + " when proxy.tlsPort is set");
      } else {
        problems.require(key, java.nio.file.Files.isReadable(java.nio.file.Path.of(file)),
            "file " + file + " does not exist or cannot be read");
      }
    }

    @Override
    public String toString() {
      return "ProxySection[host=" + host + ", port=" + port + ", tlsPort=" + tlsPort
          + ", keyStorePassword=" + (keyStorePassword.isEmpty() ? "" : "***") + "]";
    }
  }

  /** {@code dns.*}: the internal DNS server (UDP and TCP). */
  public record DnsSection(int port, String suffix) {
    /** The zone this cluster's DNS server answers for: {@code <cluster>.<suffix>}. */
    public String zone(String clusterName) {
      return clusterName.toLowerCase(java.util.Locale.ROOT) + "." + suffix;
    }
  }

  /**
   * {@code hav.*}: ARHAV's failure detection and RTT measurement. Peers are probed every
   * {@code probeInterval} (which also measures RTT), SUSPECT after {@code suspectAfter} of silence,
   * removed after {@code removeAfter}; each node shares its RTT row every {@code rttShareInterval}.
   */
  public record HavSection(Duration probeInterval, Duration probeTimeout, Duration suspectAfter,
      Duration removeAfter, Duration rttShareInterval) {
    /** These values as ARHAV's settings; throws naming the rule they break. */
    public dev.alpharen.arhav.ProbeSettings probeSettings() {
      return new dev.alpharen.arhav.ProbeSettings(probeInterval, probeTimeout, suspectAfter,
          removeAfter, rttShareInterval);
    }
  }

  /**
   * {@code integrations.*}: the integration runtime. {@code dir} names a directory whose
   * {@code *.yaml} files are deployed to the cluster when the node starts (those whose content the
   * registry lacks); empty means none.
   */
  public record IntegrationsSection(String dir) {}

  /** {@code security.*}: the admin API's credentials. An empty password means "generate one". */
  public record SecuritySection(String adminPassword) {
    @Override
    public String toString() {
      return "SecuritySection[adminPassword=" + (adminPassword.isEmpty() ? "" : "***") + "]";
    }
  }
}

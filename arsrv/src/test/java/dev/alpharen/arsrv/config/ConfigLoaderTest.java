package dev.alpharen.arsrv.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String ALL_KEYS = "node.id, node.lan, node.dataDir, node.roles,"
      + " node.shutdownTimeout, node.drainGrace, cluster.name, cluster.host, cluster.port, cluster.join.members,"
      + " cluster.join.multicast, cluster.join.dns, cluster.join.dnsServer, http.host, http.port, http.advertise,"
      + " broker.host, broker.port, broker.users, broker.clusterPassword, broker.ha,"
      + " broker.backupPortOffset, broker.maxQueueMessages, broker.maxQueueBytes, broker.fullPolicy,"
      + " broker.blockTimeout, broker.tlsPort, broker.keyStore, broker.keyStorePassword,"
      + " proxy.host, proxy.port, proxy.requestTimeout, proxy.maxHeaderBytes, proxy.maxBodyBytes,"
      + " proxy.tlsPort, proxy.certificate, proxy.privateKey, proxy.keyStore,"
      + " proxy.keyStorePassword, proxy.redirectHttp, proxy.clientTimeout, proxy.idleTimeout,"
      + " proxy.accessLog,"
      + " dns.port, dns.suffix, security.adminPassword, hav.probeInterval, hav.probeTimeout,"
      + " hav.suspectAfter, hav.removeAfter, hav.rttShareInterval, integrations.dir,"
      + " activities.dir, activities.rollBytes, activities.keepFiles, activities.keepFor,"
      + " activities.queueSize, activities.capture, activities.syslog.host,"
      + " activities.syslog.port, activities.syslog.protocol, activities.webhook.url,"
      + " activities.webhook.timeout, activities.jdbc.url, activities.jdbc.user,"
      + " activities.jdbc.password, activities.rules";

  @TempDir
  Path dir;

  @Test
  void reportsFailureDetectionDeadlinesInTheWrongOrder() throws Exception {
    Path file = write("hav:\n  suspectAfter: 3s\n  removeAfter: 2s\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(Optional.of(file), Map.of()));
    assertEquals(List.of(file + ":1: hav: removeAfter must be longer than suspectAfter (3000 ms),"
        + " was 2000 ms"), e.problems());
  }

  @Test
  void usesEmbeddedDefaultsWithoutAFile() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of());

    assertEquals("alpha-ren", config.cluster().name());
    assertEquals("127.0.0.1", config.cluster().host());
    assertEquals(5701, config.cluster().port());
    assertEquals(List.of(), config.cluster().join().members());
    assertFalse(config.cluster().join().multicast());
    assertEquals("", config.cluster().join().dns());
    assertEquals("127.0.0.1", config.http().host());
    assertEquals(8080, config.http().port());
    assertEquals(61616, config.broker().port());
    assertEquals(8000, config.proxy().port());
    assertEquals(5353, config.dns().port());
    assertEquals(List.of("arsrv", "ardpx", "arwadm", "armail", "dns"), config.node().roles());
    assertEquals("testhost", config.node().id());
    assertEquals("default", config.node().lan());
    assertEquals("./data", config.node().dataDir());
    assertEquals(Duration.ofSeconds(30), config.node().shutdownTimeout());
    assertEquals("", config.security().adminPassword());
  }

  @Test
  void treatsAnEmptyFileAsDefaults() throws Exception {
    NodeConfig config = load(Optional.of(write("# nothing configured yet\n")), Map.of());

    assertEquals(NodeConfig.defaults("testhost"), config);
  }

  @Test
  void readsEveryKeyFromAFullFile() throws Exception {
    Path file = write("""
        node:
          id: edge-1
          lan: lab
          dataDir: /var/lib/alpha-ren
          roles: [arsrv, arwadm]
          shutdownTimeout: 2m
        cluster:
          name: prod
          host: 10.0.0.5
          port: 5801
          join:
            members:
              - 10.0.0.6:5801
              - 10.0.0.7:5801
            multicast: false
            dns: ""
        http:
          host: 0.0.0.0
          port: 9090
        broker:
          port: 61617
          users:
            - name: orders-app
              password: s3cret-orders
              roles: [send, consume]
          fullPolicy: FAIL
        proxy:
          port: 8443
        dns:
          port: 0
        security:
          adminPassword: correct-horse
        """);

    NodeConfig config = load(Optional.of(file), Map.of());

    assertEquals(new NodeConfig(
        new NodeConfig.NodeSection("edge-1", "lab", "/var/lib/alpha-ren",
            List.of("arsrv", "arwadm"), Duration.ofMinutes(2), Duration.ofSeconds(5)),
        new NodeConfig.ClusterSection("prod", "10.0.0.5", 5801,
            new NodeConfig.JoinSection(List.of("10.0.0.6:5801", "10.0.0.7:5801"), false, "", "")),
        new NodeConfig.HttpSection("0.0.0.0", 9090, ""),
        new NodeConfig.BrokerSection("127.0.0.1", 61617, List.of(new NodeConfig.BrokerUser(
            "orders-app", "s3cret-orders", List.of("send", "consume"))), "", true, 100, 100_000,
            104_857_600, "FAIL", Duration.ofSeconds(5), 0, "", ""),
        new NodeConfig.ProxySection("127.0.0.1", 8443, Duration.ofSeconds(30), 16_384,
            10_485_760, 0, "", "", "", "", false, Duration.ofSeconds(10), Duration.ofSeconds(60),
            true),
        new NodeConfig.DnsSection(0, "arclst."),
        new NodeConfig.SecuritySection("correct-horse"),
        NodeConfig.defaults("x").hav(),
        NodeConfig.defaults("x").integrations(),
        NodeConfig.defaults("x").activities()), config);
  }

  @Test
  void readsActivitySinksAndRules() throws Exception {
    Path file = write("""
        activities:
          capture: all
          keepFor: 7d
          syslog:
            host: 127.0.0.1
            port: 5514
            protocol: tcp
          webhook:
            url: http://alerts.example:8080/hook
          rules:
            - sink: syslog
              types: [node.stopped, exchange.failed]
              minSeverity: warning
              ratePerMinute: 60
            - sink: webhook
        """);

    NodeConfig config = load(Optional.of(file), Map.of());

    ActivitiesSection a = config.activities();
    assertEquals("all", a.capture());
    assertEquals(Duration.ofDays(7), a.keepFor());
    assertEquals(new ActivitiesSection.SyslogSection("127.0.0.1", 5514, "tcp"), a.syslog());
    assertEquals(List.of(new ActivitiesSection.ActivityRule("syslog",
        List.of("node.stopped", "exchange.failed"), "warning", 60),
        new ActivitiesSection.ActivityRule("webhook", List.of(), "info", 0)), a.rules());
  }

  @Test
  void reportsBadActivitySettingsWithTheirLines() throws Exception {
    Path file = write("""
        activities:
          capture: some
          jdbc:
            url: jdbc:oracle:thin:@db
          rules:
            - sink: kafka
            - sink: syslog
              types: [exchange.exploded]
              minSeverity: loud
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> load(Optional.of(file), Map.of()));

    assertEquals(List.of(
        file + ":2: activities.capture: unknown capture 'some'; allowed: off, failures, all",
        file + ":4: activities.jdbc.url: must start with jdbc:mariadb: or jdbc:mysql: (MariaDB,"
            + " MySQL) or jdbc:postgresql: (PostgreSQL), was 'jdbc:oracle:thin:@db'",
        file + ":6: activities.rules[0].sink: unknown sink 'kafka'; allowed: syslog, webhook,"
            + " jdbc",
        file + ":7: activities.rules[1].sink: sink 'syslog' is not configured (set"
            + " activities.syslog.host)",
        file + ":8: activities.rules[1].types: unknown activity type 'exchange.exploded';"
            + " allowed: " + String.join(", ", dev.alpharen.arsrv.activity.ActivityType.labels()),
        file + ":9: activities.rules[1].minSeverity: unknown severity 'loud'; allowed: debug,"
            + " info, notice, warning, error, critical"), e.problems());
  }

  @Test
  void keepsDefaultsForKeysTheFileLeavesOut() throws Exception {
    NodeConfig config = load(Optional.of(write("cluster:\n  port: 5801\n")), Map.of());

    assertEquals(5801, config.cluster().port());
    assertEquals("alpha-ren", config.cluster().name());
    assertEquals(8080, config.http().port());
  }

  @Test
  void overridesAKeyFromTheEnvironment() throws Exception {
    Path file = write("cluster:\n  name: from-file\n");

    NodeConfig config = load(Optional.of(file), Map.of("ALPHAREN_CLUSTER_NAME", "from-env"));

    assertEquals("from-env", config.cluster().name());
  }

  @Test
  void readsAListFromACommaSeparatedEnvironmentVariable() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of("ALPHAREN_CLUSTER_JOIN_MEMBERS", "a:1,b:2"));

    assertEquals(List.of("a:1", "b:2"), config.cluster().join().members());
  }

  @Test
  void mapsCamelCaseKeysToUpperCaseVariables() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of(
        "ALPHAREN_NODE_DATADIR", "/srv/node-a",
        "ALPHAREN_NODE_SHUTDOWNTIMEOUT", "5s",
        "ALPHAREN_CLUSTER_JOIN_MULTICAST", "true",
        "ALPHAREN_SECURITY_ADMINPASSWORD", "from-the-env"));

    assertEquals("/srv/node-a", config.node().dataDir());
    assertEquals(Duration.ofSeconds(5), config.node().shutdownTimeout());
    assertTrue(config.cluster().join().multicast());
    assertEquals("from-the-env", config.security().adminPassword());
    assertEquals("ALPHAREN_CLUSTER_JOIN_DNS", ConfigLoader.envName("cluster.join.dns"));
  }

  @Test
  void setFlagWinsOverEnvironmentWhichWinsOverFile() throws Exception {
    Path file = write("cluster:\n  name: from-file\nhttp:\n  port: 8081\n");
    Map<String, String> env = Map.of("ALPHAREN_CLUSTER_NAME", "from-env",
        "ALPHAREN_HTTP_PORT", "8082");

    NodeConfig config = load(Optional.of(file), env, "cluster.name=from-flag");

    assertEquals("from-flag", config.cluster().name());
    assertEquals(8082, config.http().port());
  }

  @Test
  void laterSetFlagWinsOverEarlierOne() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of(), "http.port=8081", "http.port=8082");

    assertEquals(8082, config.http().port());
  }

  @Test
  void readsAListFromACommaSeparatedSetFlag() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of(), "node.roles=arsrv, arwadm");

    assertEquals(List.of("arsrv", "arwadm"), config.node().roles());
  }

  @Test
  void ignoresLauncherVariablesAndVariablesWithoutThePrefix() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of("ALPHAREN_HOME", "/opt/alpha-ren",
        "ALPHAREN_JAVA_OPTS", "-Xmx1g", "ALPHAREN_JAVA", "/usr/bin/java", "PATH", "/usr/bin"));

    assertEquals(NodeConfig.defaults("testhost"), config);
  }

  @Test
  void reportsUnknownKeyWithFileLineAndAllowedKeys() throws Exception {
    Path file = write("cluster:\n  name: prod\n  nmae: typo\n");

    assertEquals(List.of(file + ":3: cluster.nmae: unknown key; allowed keys under cluster:"
        + " name, host, port, join"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsUnknownSectionWithTheAllowedSections() throws Exception {
    Path file = write("http:\n  port: 8081\nclustr:\n  name: prod\n");

    assertEquals(List.of(file + ":3: clustr: unknown key; allowed keys: node, cluster, http,"
        + " broker, proxy, dns, security, hav, integrations, activities"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsWrongTypeWithFileLineAndValue() throws Exception {
    Path file = write("http:\n  host: 127.0.0.1\n  port: eighty\n");

    assertEquals(List.of(file + ":3: http.port: expected a whole number, got \"eighty\""),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsSectionThatIsNotAMapping() throws Exception {
    Path file = write("http: 8081\n");

    assertEquals(List.of(file + ":1: http: expected a mapping with keys host, port, advertise, got \"8081\""),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsTopLevelThatIsNotAMapping() throws Exception {
    Path file = write("- http\n- cluster\n");

    assertEquals(List.of(file + ":1: expected a mapping of sections (node, cluster, http, broker,"
        + " proxy, dns, security, hav, integrations, activities) at the top level"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsPortOutOfRange() throws Exception {
    Path file = write("cluster:\n  port: 70000\n");

    assertEquals(List.of(file + ":2: cluster.port: 70000 is out of range; allowed 0-65535"
        + " (0 picks a free port)"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsYamlSyntaxErrorWithLineAndColumn() throws Exception {
    Path file = write("http:\n  port: 8081\n bad: [\n");

    List<String> problems = problems(Optional.of(file), Map.of());

    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith(file + ":3:2: YAML syntax error: "), problems::toString);
  }

  @Test
  void reportsMissingFile() {
    Path file = dir.resolve("missing.yaml");

    assertEquals(List.of(file + ": cannot read the configuration file: no such file"),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsDuplicateKeyWithItsLine() throws Exception {
    Path file = write("http:\n  port: 8081\n  port: 8082\n");

    List<String> problems = problems(Optional.of(file), Map.of());

    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith(file + ":3:"), problems::toString);
    assertTrue(problems.get(0).contains("YAML syntax error: Duplicate field 'port'"),
        problems::toString);
  }

  @Test
  void reportsUnknownRoleWithTheAllowedRoles() throws Exception {
    Path file = write("node:\n  roles:\n    - arsrv\n    - arproxy\n");

    assertEquals(List.of(file + ":4: node.roles[1]: unknown role 'arproxy'; allowed: arsrv,"
        + " ardpx, arwadm, armail, dns"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsRoleListedTwice() throws Exception {
    Path file = write("node:\n  roles: [arsrv, arwadm, arsrv]\n");

    assertEquals(List.of(file + ":2: node.roles[2]: role 'arsrv' is listed twice"),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsEmptyRoleList() throws Exception {
    Path file = write("node:\n  roles: []\n");

    assertEquals(List.of(file + ":2: node.roles: must name at least one role; allowed: arsrv,"
        + " ardpx, arwadm, armail, dns"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsTheLineOfAListItemGivenAsAMapping() throws Exception {
    Path file = write("node:\n  roles:\n    - arsrv\n    - name: arwadm\n");

    assertEquals(List.of(file + ":4: node.roles[1]: expected a text value, got a mapping"),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsJoinMemberThatIsNotHostAndPort() throws Exception {
    Path file = write("""
        cluster:
          join:
            members:
              - 10.0.0.6:5701
              - 10.0.0.7
              - 10.0.0.8:99999
        """);

    assertEquals(List.of(
        file + ":5: cluster.join.members[1]: \"10.0.0.7\" is not an address; expected"
            + " host:port with port 1-65535",
        file + ":6: cluster.join.members[2]: \"10.0.0.8:99999\" is not an address; expected"
            + " host:port with port 1-65535"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsJoinMembersGivenAsOneText() throws Exception {
    Path file = write("cluster:\n  join:\n    members: 10.0.0.6:5701\n");

    assertEquals(List.of(file + ":3: cluster.join.members: expected a list, got \"10.0.0.6:5701\""),
        problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsBadDuration() throws Exception {
    Path file = write("node:\n  shutdownTimeout: 30 seconds\n");

    assertEquals(List.of(file + ":2: node.shutdownTimeout: expected a duration such as 500ms, 30s,"
        + " 5m, 1h or 1d, got \"30 seconds\""), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsShutdownTimeoutOutsideItsRange() throws Exception {
    Path file = write("node:\n  shutdownTimeout: 2h\n");

    assertEquals(List.of(file + ":2: node.shutdownTimeout: must be more than 0 and at most 1h,"
        + " was 2h"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsNodeIdThatIsNotADnsLabel() throws Exception {
    Path file = write("node:\n  id: edge_1\n");

    assertEquals(List.of(file + ":2: node.id: \"edge_1\" is not allowed; use 1-63 letters, digits"
        + " and '-', not starting or ending with '-'"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsAdminPasswordThatIsTooShort() throws Exception {
    Path file = write("security:\n  adminPassword: short\n");

    assertEquals(List.of(file + ":2: security.adminPassword: must be at least 8 characters, or"
        + " empty to generate one"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsUnknownAlpharenEnvironmentVariable() {
    assertEquals(List.of("environment variable ALPHAREN_CLUSTER_NAMES: matches no configuration"
            + " key; keys map to variables as ALPHAREN_ + the key path upper-cased with '_'"
            + " (e.g. ALPHAREN_CLUSTER_NAME)"),
        problems(Optional.empty(), Map.of("ALPHAREN_CLUSTER_NAMES", "prod")));
  }

  @Test
  void reportsBadEnvironmentValueNamingTheVariable() {
    assertEquals(List.of("environment variable ALPHAREN_HTTP_PORT: http.port: expected a whole"
            + " number, got \"eighty\""),
        problems(Optional.empty(), Map.of("ALPHAREN_HTTP_PORT", "eighty")));
  }

  @Test
  void reportsOutOfRangeEnvironmentValueNamingTheVariable() {
    assertEquals(List.of("environment variable ALPHAREN_HTTP_PORT: http.port: 70000 is out of"
            + " range; allowed 0-65535 (0 picks a free port)"),
        problems(Optional.empty(), Map.of("ALPHAREN_HTTP_PORT", "70000")));
  }

  @Test
  void reportsAProxyTlsPortWithoutAKey() throws Exception {
    Path file = write("proxy:\n  tlsPort: 8443\n");
    assertEquals(List.of(file + ":2: proxy.tlsPort: TLS needs a key: set proxy.certificate and"
        + " proxy.privateKey (PEM files) or proxy.keyStore (PKCS12) with"
        + " proxy.keyStorePassword"), problems(Optional.of(file), Map.of()));
  }

  @Test
  void reportsProxyKeyFilesThatCannotBeRead() throws Exception {
    Path missing = dir.resolve("missing.p12");
    Path file = write("proxy:\n  tlsPort: 8443\n  keyStore: " + missing + "\n");
    assertEquals(List.of(file + ":3: proxy.keyStore: file " + missing
        + " does not exist or cannot be read"), problems(Optional.of(file), Map.of()));
    Path cert = Files.writeString(dir.resolve("proxy.crt"), "not checked until start");
    Path pem = write("proxy:\n  tlsPort: 8443\n  certificate: " + cert + "\n");
    assertEquals(List.of("proxy.privateKey: must name the PEM private key when"
        + " proxy.tlsPort is set"), problems(Optional.of(pem), Map.of()));
  }

  @Test
  void reportsBothKindsOfProxyKeyAndARedirectWithoutTls() throws Exception {
    Path both = write("proxy:\n  tlsPort: 8443\n  certificate: a.crt\n  privateKey: a.key\n"
        + "  keyStore: a.p12\n");
    assertEquals(List.of(both + ":5: proxy.keyStore: give either proxy.certificate with"
        + " proxy.privateKey (PEM) or proxy.keyStore (PKCS12), not both"),
        problems(Optional.of(both), Map.of()));
    Path redirect = write("proxy:\n  redirectHttp: true\n");
    assertEquals(List.of(redirect + ":2: proxy.redirectHttp: needs a TLS listener to redirect"
        + " to; set proxy.tlsPort"), problems(Optional.of(redirect), Map.of()));
  }

  @Test
  void reportsSetFlagWithoutEquals() {
    assertEquals(List.of("--set http.port: expected key=value, for example --set http.port=8081"),
        problems(Optional.empty(), Map.of(), "http.port"));
  }

  @Test
  void reportsUnknownSetKeyWithTheSettableKeys() {
    assertEquals(List.of("--set http.prot=8081: http.prot: unknown key; settable keys: "
            + ALL_KEYS),
        problems(Optional.empty(), Map.of(), "http.prot=8081"));
  }

  @Test
  void reportsBadSetValueNamingTheFlag() {
    assertEquals(List.of("--set node.shutdownTimeout=soon: node.shutdownTimeout: expected a"
            + " duration such as 500ms, 30s, 5m, 1h or 1d, got \"soon\""),
        problems(Optional.empty(), Map.of(), "node.shutdownTimeout=soon"));
  }

  @Test
  void reportsAllProblemsAtOnce() throws Exception {
    Path file = write("""
        http:
          port: 70000
        broker:
          port: eighty
        metrics:
          enabled: true
        """);

    ConfigException e = assertThrows(ConfigException.class,
        () -> new ConfigLoader(Map.of(), "testhost").load(Optional.of(file), List.of()));

    assertEquals(Set.of(
        file + ":2: http.port: 70000 is out of range; allowed 0-65535 (0 picks a free port)",
        file + ":4: broker.port: expected a whole number, got \"eighty\"",
        file + ":5: metrics: unknown key; allowed keys: node, cluster, http, broker, proxy, dns,"
            + " security, hav, integrations, activities"), Set.copyOf(e.problems()));
    assertEquals(3, e.problems().size());
    assertEquals(String.join(System.lineSeparator(), e.problems()), e.getMessage());
  }

  @Test
  void reportsProblemsFromFileEnvironmentAndFlagsTogether() throws Exception {
    Path file = write("http:\n  port: eighty\n");

    List<String> problems = problems(Optional.of(file), Map.of("ALPHAREN_NOPE", "x"),
        "cluster.port=-1");

    assertEquals(List.of(
        file + ":2: http.port: expected a whole number, got \"eighty\"",
        "environment variable ALPHAREN_NOPE: matches no configuration key; keys map to variables"
            + " as ALPHAREN_ + the key path upper-cased with '_' (e.g. ALPHAREN_CLUSTER_NAME)",
        "--set cluster.port=-1: cluster.port: -1 is out of range; allowed 0-65535 (0 picks a free"
            + " port)"), problems);
  }

  @Test
  void readsBrokerUsersFromAnEnvironmentVariableAsAYamlFlowList() throws Exception {
    NodeConfig config = load(Optional.empty(), Map.of("ALPHAREN_BROKER_USERS",
        "[{name: app, password: s3cret-pass, roles: [send, consume]}]"));
    assertEquals(List.of(new NodeConfig.BrokerUser("app", "s3cret-pass",
        List.of("send", "consume"))), config.broker().users());
    assertEquals(List.of("environment variable ALPHAREN_BROKER_USERS: broker.users[0].roles:"
            + " unknown role 'root'; allowed: send, consume, admin"),
        problems(Optional.empty(), Map.of("ALPHAREN_BROKER_USERS",
            "[{name: app, password: s3cret-pass, roles: [root]}]")));
  }

  @Test
  void listsEveryKeyAndItsVariableInTheConfigurationReference() throws IOException {
    Path reference = Path.of("..", "docs", "configuration.md");
    assertTrue(Files.exists(reference), "missing " + reference.toAbsolutePath());
    String text = Files.readString(reference);
    List<String> missing = new ArrayList<>();
    for (String key : new ConfigLoader(Map.of(), "testhost").keys().keySet()) {
      if (!text.contains("`" + key + "`") || !text.contains("`" + ConfigLoader.envName(key) + "`")) {
        missing.add(key);
      }
    }

    assertEquals(List.of(), missing, "keys without a row in docs/configuration.md");
    assertEquals(ALL_KEYS, String.join(", ", new ConfigLoader(Map.of(), "x").keys().keySet()));
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("node.yaml"), yaml);
  }

  private static NodeConfig load(Optional<Path> file, Map<String, String> env, String... sets)
      throws ConfigException {
    return new ConfigLoader(env, "testhost").load(file, List.of(sets));
  }

  private static List<String> problems(Optional<Path> file, Map<String, String> env,
      String... sets) {
    return assertThrows(ConfigException.class, () -> load(file, env, sets)).problems();
  }
}

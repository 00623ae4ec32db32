package dev.alpharen.arhav.dns;

import static dev.alpharen.arhav.dns.DnsFixtures.ZONE;
import static dev.alpharen.arhav.dns.DnsFixtures.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server as the standard tool sees it: BIND's {@code dig} (Debian package dnsutils). */
class InternalDnsServerDigTest {
  private static final Path DIG = Path.of("/usr/bin/dig");

  private InternalDnsServer server;

  @BeforeEach
  void start() throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(DIG), "dig not installed");
    server = InternalDnsServer.start("127.0.0.1", 0, ZONE, () -> List.of(
        serving("node-b", "10.0.0.2", 8081),
        new DnsNode("node-c", "10.0.0.3", 8082, 0, 0, "DRAINING", false),
        serving("node-a", "10.0.0.1", 8080)));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Runs dig against the server with {@code args}; returns its standard output's lines. */
  private List<String> dig(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(DIG.toString(), "@127.0.0.1", "-p",
        String.valueOf(server.port()), "+time=2", "+tries=1"));
    command.addAll(List.of(args));
    Process dig = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(dig.waitFor(10, TimeUnit.SECONDS), "dig finished");
    assertEquals(0, dig.exitValue(), () -> "dig exit status; output:\n" + out);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"+notcp", "+tcp"})
  void digListsTheHttpServiceNearestFirst(String transport)
      throws IOException, InterruptedException {
    assertEquals(List.of("0 0 8081 node-b.prod.arclst.", "1 0 8080 node-a.prod.arclst."),
        dig("_http._tcp.prod.arclst.", "SRV", "+short", transport));
  }

  @Test
  void digResolvesANodeAndItsTxt() throws IOException, InterruptedException {
    assertEquals(List.of("10.0.0.3"), dig("node-c.prod.arclst.", "A", "+short"));
    assertEquals(List.of("\"status=DRAINING\" \"ready=false\""),
        dig("node-c.prod.arclst.", "TXT", "+short"));
  }

  @Test
  void digSeesAnAuthoritativeNxdomainWithTheSoa() throws IOException, InterruptedException {
    List<String> out = dig("nosuch.prod.arclst.", "A", "+noall", "+comments", "+authority");
    String all = String.join("\n", out);
    assertTrue(all.contains("status: NXDOMAIN"), all);
    assertTrue(all.matches("(?s).*flags: qr aa( rd)?;.*"), all);
    assertTrue(out.stream().anyMatch(l -> l.matches("prod\\.arclst\\.\\s+5\\s+IN\\s+SOA\\s+"
        + "ns\\.prod\\.arclst\\. hostmaster\\.prod\\.arclst\\. 1 60 10 600 5")), all);
  }

  @Test
  void digIsRefusedOutsideTheZone() throws IOException, InterruptedException {
    String all = String.join("\n", dig("example.com.", "A", "+noall", "+comments"));
    assertTrue(all.contains("status: REFUSED"), all);
  }
}

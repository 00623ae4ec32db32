package dev.alpharen.arclst.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.alpharen.arclst.JoinSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code host:port} from configuration, and the join settings that rely on it. */
final class HostPortTest {

  @Test
  void readsHostAndPort() {
    assertEquals(new HostPort("10.0.0.2", 53), HostPort.parse("k", "10.0.0.2:53"));
    assertEquals(new HostPort("dns.lan.example", 5353),
        HostPort.parse("k", "dns.lan.example:5353"));
  }

  @Test
  void readsAnIpv6HostInBrackets() {
    HostPort hp = HostPort.parse("k", "[::1]:53");

    assertEquals(new HostPort("::1", 53), hp);
    assertEquals("[::1]:53", hp.toString());
  }

  @Test
  void rejectsValuesThatAreNotHostColonPortNamingTheKey() {
    for (String bad : List.of("10.0.0.2", "10.0.0.2:", ":53", "10.0.0.2:0", "10.0.0.2:65536",
        "10.0.0.2:5x", "::1:53", " :53")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> HostPort.parse("cluster.join.dnsServer", bad), bad);
      assertEquals("cluster.join.dnsServer: '" + bad + "' is not an address; expected host:port"
          + " with port 1-65535 (IPv6 in brackets: [::1]:53)", e.getMessage());
    }
  }

  @Test
  void joinSettingsRejectADnsServerWithoutPort() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new JoinSettings(List.of(), false, "_arclst._tcp.lan.", "10.0.0.2"));
    assertEquals("cluster.join.dnsServer: '10.0.0.2' is not an address; expected host:port with"
        + " port 1-65535 (IPv6 in brackets: [::1]:53)", e.getMessage());
  }

  @Test
  void joinSettingsRejectAMemberWithoutPortNamingItsIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new JoinSettings(List.of("10.0.0.5:5701", "10.0.0.6"), false, "", ""));
    assertEquals("cluster.join.members[1]: '10.0.0.6' is not an address; expected host:port with"
        + " port 1-65535 (IPv6 in brackets: [::1]:53)", e.getMessage());
  }

  @Test
  void joinSettingsWithoutDnsServerAskTheSystemResolver() {
    assertEquals("", new JoinSettings(List.of(), false, "_arclst._tcp.lan.").dnsServer());
  }
}

package dev.alpharen.arhav.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DnsNodeTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a-", "a.b", "a_b", "ns 1"})
  void rejectsAnIdThatIsNoDnsLabel(String id) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DnsNode(id, "10.0.0.1", 80, 0, 0, "ACTIVE", true));
    assertEquals("node id \"" + id + "\" is not a DNS label; use 1-63 letters, digits and '-',"
        + " not starting or ending with '-'", e.getMessage());
  }

  @Test
  void rejectsAPortOutOfRangeNamingNodeAndKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DnsNode("node-a", "10.0.0.1", 80, 70_000, 0, "ACTIVE", true));
    assertEquals("brokerPort of node node-a is 70000; allowed 0-65535 (0 = not served)",
        e.getMessage());
  }

  @Test
  void rejectsAMissingHostOrStatus() {
    assertEquals("host of node node-a must be an IP address, was \"\"",
        assertThrows(IllegalArgumentException.class,
            () -> new DnsNode("node-a", "", 80, 0, 0, "ACTIVE", true)).getMessage());
    assertEquals("status of node node-a must be non-empty",
        assertThrows(IllegalArgumentException.class,
            () -> new DnsNode("node-a", "10.0.0.1", 80, 0, 0, null, true)).getMessage());
  }
}

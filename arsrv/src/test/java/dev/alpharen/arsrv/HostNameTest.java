package dev.alpharen.arsrv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {
  /** What node.id must match; see Problems.dnsLabel. */
  private static final String DNS_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

  @Test
  void keepsTheFirstLabelLowerCased() {
    assertEquals("build-01", HostName.toLabel("Build-01.Example.COM"));
  }

  @Test
  void trimsTheNewlineOfTheKernelHostnameFile() {
    assertEquals("alpha", HostName.toLabel("alpha\n"));
  }

  @Test
  void replacesCharactersADnsLabelCannotHold() {
    assertEquals("my-host-2", HostName.toLabel("my_host 2"));
  }

  @Test
  void dropsLeadingAndTrailingHyphens() {
    assertEquals("web", HostName.toLabel("_-web-_"));
  }

  @Test
  void cutsLongNamesTo63CharactersWithoutATrailingHyphen() {
    String label = HostName.toLabel("a".repeat(62) + "-" + "b".repeat(10));

    assertEquals("a".repeat(62), label);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "---", ".example.com", "___"})
  void fallsBackToNodeWhenNothingUsableIsLeft(String hostName) {
    assertEquals("node", HostName.toLabel(hostName));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ünïcode-Höst", "x", "a--b", "9lives.local", "-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
  void alwaysYieldsAValidNodeId(String hostName) {
    String label = HostName.toLabel(hostName);

    assertTrue(label.matches(DNS_LABEL), () -> hostName + " became " + label);
  }
}

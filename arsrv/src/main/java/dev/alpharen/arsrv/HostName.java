package dev.alpharen.arsrv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The default node id: this machine's host name, made into a DNS label. */
final class HostName {
  private HostName() {}

  static String asNodeId() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = Files.readString(Path.of("/proc/sys/kernel/hostname"));
      } catch (IOException e) {
        name = "node";
      }
    }
    return toLabel(name);
  }

  /** Lower-cased, first label only, anything but letters, digits and '-' replaced by '-'. */
  static String toLabel(String hostName) {
    String first = hostName.trim().toLowerCase(Locale.ROOT).split("\\.", 2)[0];
    String label = first.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (label.length() > 63) {
      label = label.substring(0, 63).replaceAll("-+$", "");
    }
    return label.isEmpty() ? "node" : label;
  }
}

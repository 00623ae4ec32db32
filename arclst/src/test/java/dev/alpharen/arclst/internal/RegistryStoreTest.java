package dev.alpharen.arclst.internal;

import static dev.alpharen.arclst.internal.RegistryChangeTest.history;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alpharen.arclst.Versioned;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's disk copy of a namespace, in a temporary directory. */
final class RegistryStoreTest {
  @TempDir Path dir;

  @Test
  void readsBackWhatItWroteIncludingAwkwardContent() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    Versioned awkward = new Versioned("Routes/Main Ä.yaml", 1,
        "line 1\nline 2\\n = : # ! \t ünïcode ✓\r\n", false, Instant.parse("2025-03-04T05:06:07.123Z"),
        "ann=admin");
    Versioned tombstone = new Versioned("Routes/Main Ä.yaml", 2, "", true, Instant.EPOCH, "bob");
    VersionHistory history = new VersionHistory(List.of(awkward, tombstone));

    assertTrue(store.write(history));

    assertEquals(history, store.read("Routes/Main Ä.yaml").orElseThrow());
    assertEquals(List.of(history), new RegistryStore(dir).readAll());
  }

  @Test
  void doesNotOverwriteANewerVersionOnDisk() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    store.write(history(5));

    assertFalse(store.write(history(4)));

    assertEquals(5, store.read("x").orElseThrow().current().version());
  }

  @Test
  void replacesAnOlderVersionOnDisk() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    store.write(history(4));

    assertTrue(store.write(history(5)));

    assertEquals(history(5), store.read("x").orElseThrow());
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    store.write(history(1));
    store.write(history(2));

    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("x.entry"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void skipsAnUnreadableFileAndReadsTheOthers() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    store.write(history(2));
    Files.writeString(dir.resolve("broken.entry"), "format=1\nname=broken\nversions=1\n", UTF_8);

    assertEquals(List.of(history(2)), store.readAll());
  }

  @Test
  void replacesAnUnreadableFileOnTheNextWrite() throws IOException {
    RegistryStore store = new RegistryStore(dir);
    Files.writeString(dir.resolve("x.entry"), "format=9\n", UTF_8);

    assertTrue(store.write(history(1)));

    assertEquals(history(1), store.read("x").orElseThrow());
  }

  @Test
  void removesTemporaryFilesACrashLeftBehind() throws IOException {
    Files.writeString(dir.resolve(".write-123.tmp"), "half a file", UTF_8);

    new RegistryStore(dir);

    assertFalse(Files.exists(dir.resolve(".write-123.tmp")));
  }

  @Test
  void aReaderLeavesTheWritersFilesInFlightAlone() throws IOException {
    RegistryStore writer = new RegistryStore(dir);
    writer.write(history(1));
    Files.writeString(dir.resolve(".write-456.tmp"), "a write in flight", UTF_8);

    RegistryStore reader = RegistryStore.reader(dir);

    assertTrue(Files.exists(dir.resolve(".write-456.tmp")));
    assertEquals(history(1), reader.read("x").orElseThrow());
    assertEquals(List.of(history(1)), reader.readAll());
  }

  @Test
  void fileNamesKeepSimpleNamesReadableAndEscapeTheRest() {
    assertEquals("db-url_1.entry", RegistryStore.fileName("db-url_1"));
    assertEquals("%2E%2E%2Fetc%2Fpasswd.entry", RegistryStore.fileName("../etc/passwd"));
    assertEquals("%41.entry", RegistryStore.fileName("A"));
    assertNotEquals(RegistryStore.fileName("A"), RegistryStore.fileName("a"));
  }

  @Test
  void fileNamesOfLongNamesStayShortAndDistinct() {
    String longA = "é".repeat(200);
    String longB = "é".repeat(199) + "e";

    assertTrue(RegistryStore.fileName(longA).length() < 200);
    assertNotEquals(RegistryStore.fileName(longA), RegistryStore.fileName(longB));
  }
}

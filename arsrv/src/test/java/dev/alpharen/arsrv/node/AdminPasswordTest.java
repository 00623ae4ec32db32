package dev.alpharen.arsrv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminPasswordTest {
  @TempDir
  Path dataDir;

  @Test
  void usesTheConfiguredPasswordAndWritesNoFile() throws Exception {
    assertEquals("configured-pass", AdminPassword.resolve("configured-pass", dataDir));

    assertFalse(Files.exists(dataDir.resolve("initial-admin-password")));
  }

  @Test
  void configuredPasswordWinsOverAGeneratedOne() throws Exception {
    AdminPassword.resolve("", dataDir);

    assertEquals("configured-pass", AdminPassword.resolve("configured-pass", dataDir));
  }

  @Test
  void generatesAPasswordIntoAFileOnlyTheOwnerCanRead() throws Exception {
    String password = AdminPassword.resolve("", dataDir);

    Path file = dataDir.resolve("initial-admin-password");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(password + "\n", Files.readString(file));
    assertTrue(password.matches("[A-Za-z0-9_-]{24}"), password);
  }

  @Test
  void reusesTheGeneratedPasswordOnTheNextStart() throws Exception {
    String first = AdminPassword.resolve("", dataDir);

    assertEquals(first, AdminPassword.resolve("", dataDir));
  }

  @Test
  void generatesADifferentPasswordForEachDataDirectory(@TempDir Path otherDataDir)
      throws Exception {
    assertNotEquals(AdminPassword.resolve("", dataDir), AdminPassword.resolve("", otherDataDir));
  }

  @Test
  void refusesAnEmptyPasswordFileSayingHowToFixIt() throws Exception {
    Path file = Files.writeString(dataDir.resolve("initial-admin-password"), "\n");

    StartupException e = assertThrows(StartupException.class,
        () -> AdminPassword.resolve("", dataDir));

    assertEquals(file + " is empty; delete it to generate a new admin password or set"
        + " security.adminPassword", e.getMessage());
  }
}

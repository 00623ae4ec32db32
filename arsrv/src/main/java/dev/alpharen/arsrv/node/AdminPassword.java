package dev.alpharen.arsrv.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin API password: the configured one, or else one generated at first start into
 * {@code <dataDir>/initial-admin-password} (readable by the owner only) and reused afterwards. The
 * password is never logged.
 */
public final class AdminPassword {
  /** File name of the generated password inside the data directory. */
  public static final String FILE = "initial-admin-password";

  private AdminPassword() {}

  /** The password to use; generates and stores one when none is configured. */
  public static String resolve(String configured, Path dataDir) throws StartupException {
    if (!configured.isEmpty()) {
      return configured;
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
          Files.createFile(file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(file, generated + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
          // another start got there first; use its password
        }
      }
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (stored.isEmpty()) {
        throw new StartupException(file + " is empty; delete it to generate a new admin password"
            + " or set security.adminPassword");
      }
      return stored;
    } catch (IOException e) {
      throw new StartupException("cannot read or create the admin password file " + file + ": "
          + e.getMessage(), e);
    }
  }
}

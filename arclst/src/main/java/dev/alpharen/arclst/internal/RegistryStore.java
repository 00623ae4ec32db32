package dev.alpharen.arclst.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.alpharen.arclst.Versioned;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's own copy of one registry namespace on disk: one properties file per name holding every
 * kept version, replaced atomically (temporary file, fsync, atomic rename), so a crash leaves either
 * the old or the new file. Thread-safe.
 */
public final class RegistryStore {
  private static final Logger log = LoggerFactory.getLogger(RegistryStore.class);
  private static final String SUFFIX = ".entry";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final String FORMAT = "1";
  /** Longest encoded name used as is; longer ones are cut and made unique with a hash. */
  private static final int MAX_ENCODED = 120;

  private final Path dir;

  /**
   * Opens (creating if needed) the directory as its one writer and removes temporary files a
   * crash left behind.
   */
  public RegistryStore(Path dir) {
    this(dir, true);
  }

  private RegistryStore(Path dir, boolean owner) {
    this.dir = dir;
    if (!owner) {
      return;
    }
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
        for (Path temp : temps) {
          Files.deleteIfExists(temp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open registry directory " + dir, e);
    }
  }

  /**
   * Opens a directory that another store may be writing to, to read it only: unlike the
   * constructor it removes no temporary file, for those may be that store's writes in flight.
   */
  public static RegistryStore reader(Path dir) {
    return new RegistryStore(dir, false);
  }

  /** The directory the files are in. */
  public Path dir() {
    return dir;
  }

  /**
   * Stores {@code history} unless the file already holds it or a newer version (a stale event or
   * a cluster that has not yet restored this node's newer copy must not roll the file back).
   *
   * @return whether the file was written
   */
  public synchronized boolean write(VersionHistory history) throws IOException {
    Path file = dir.resolve(fileName(history.name()));
    Optional<VersionHistory> onDisk = Optional.empty();
    if (Files.exists(file)) {
      try {
        onDisk = Optional.of(load(file));
      } catch (IOException | RuntimeException e) {
        log.warn("registry file {} is unreadable ({}); replacing it with version {} of '{}'",
            file, e.getMessage(), history.current().version(), history.name());
      }
    }
    if (onDisk.isPresent() && (onDisk.get().equals(history)
        || onDisk.get().current().version() > history.current().version())) {
      return false;
    }
    Path temp = Files.createTempFile(dir, ".write-", TEMP_SUFFIX);
    try {
      // java.io streams, not NIO channels: Hazelcast interrupts its event threads on shutdown,
      // and an interruptible channel would abandon the write in flight
      try (FileOutputStream stream = new FileOutputStream(temp.toFile());
          Writer out = new BufferedWriter(new OutputStreamWriter(stream, UTF_8))) {
        toProperties(history).store(out, "ALPHA-REN registry entry '" + history.name()
            + "', versions " + history.oldestKept() + "-" + history.current().version());
        out.flush();
        stream.getFD().sync();
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }

  /** The stored history of {@code name}, if there is a readable file for it. */
  public Optional<VersionHistory> read(String name) throws IOException {
    Path file = dir.resolve(fileName(name));
    return Files.exists(file) ? Optional.of(load(file)) : Optional.empty();
  }

  /** Every readable stored history; unreadable files are logged and skipped. */
  public List<VersionHistory> readAll() throws IOException {
    List<VersionHistory> all = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        try {
          all.add(load(file));
        } catch (IOException | RuntimeException e) {
          log.warn("registry file {} is unreadable ({}); skipped, expected format {}",
              file, e.getMessage(), FORMAT);
        }
      }
    }
    return all;
  }

  /**
   * The file name for an entry name: lower-case letters, digits, '-' and '_' kept, every other
   * byte of the UTF-8 form as {@code %XX} (so names differing only in case stay apart on
   * case-insensitive file systems); long names are cut and suffixed with '~' and a SHA-256.
   */
  public static String fileName(String name) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : name.getBytes(UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      }
    }
    if (encoded.length() > MAX_ENCODED) {
      return encoded.substring(0, MAX_ENCODED / 2) + "~" + sha256(name) + SUFFIX;
    }
    return encoded + SUFFIX;
  }

  private static VersionHistory load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = new InputStreamReader(new FileInputStream(file.toFile()), UTF_8)) {
      props.load(in);
    }
    return fromProperties(props);
  }

  static Properties toProperties(VersionHistory history) {
    Properties props = new InsertionOrdered();
    props.setProperty("format", FORMAT);
    props.setProperty("name", history.name());
    props.setProperty("versions", String.join(" ",
        history.versions().stream().map(v -> Long.toString(v.version())).toList()));
    for (Versioned v : history.versions()) {
      String p = "v" + v.version() + ".";
      props.setProperty(p + "updatedAt", v.updatedAt().toString());
      props.setProperty(p + "updatedBy", v.updatedBy());
      props.setProperty(p + "deleted", Boolean.toString(v.deleted()));
      props.setProperty(p + "content", v.content());
    }
    return props;
  }

  static VersionHistory fromProperties(Properties props) {
    if (!FORMAT.equals(props.getProperty("format"))) {
      throw new IllegalArgumentException(
          "format must be " + FORMAT + ", was " + props.getProperty("format"));
    }
    String name = required(props, "name");
    List<Versioned> versions = new ArrayList<>();
    for (String number : required(props, "versions").trim().split(" +")) {
      String p = "v" + number + ".";
      versions.add(new Versioned(name, Long.parseLong(number), required(props, p + "content"),
          Boolean.parseBoolean(required(props, p + "deleted")),
          Instant.parse(required(props, p + "updatedAt")), required(props, p + "updatedBy")));
    }
    return new VersionHistory(versions);
  }

  /** Properties that {@link Properties#store} writes in insertion order, for a readable file. */
  private static final class InsertionOrdered extends Properties {
    private final Map<Object, Object> ordered = new LinkedHashMap<>();

    @Override
    public synchronized Object put(Object key, Object value) {
      ordered.put(key, value);
      return super.put(key, value);
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
      return Collections.unmodifiableMap(ordered).entrySet();
    }
  }

  private static String required(Properties props, String key) {
    String value = props.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("key '" + key + "' is missing");
    }
    return value;
  }

  private static String sha256(String name) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}

package dev.alpharen.arsrv.activity;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server for tests: {@code initdb} into a temporary directory, then
 * {@code postgres} on a free port of 127.0.0.1 with its socket in that directory (no system
 * service), trust authentication for the user {@code postgres}. PostgreSQL refuses to run as
 * root, so as root both run as {@code nobody} (through {@code setpriv}, which execs: the process
 * the test holds is the server itself). Binaries come from the Debian {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}, the newest version found). Can be killed and started
 * again on the same port to make an outage; a start after a kill recovers from the crash.
 */
final class PrivatePostgres implements TestDatabase {
  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private static final String RUN_AS = "nobody";
  private static final String RUN_AS_GROUP = "nogroup";

  private final Path dir;
  private final Path bin;
  private final int port;
  private Process process;

  private PrivatePostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  /** Creates a cluster in a temporary directory and starts a server on a free port. */
  static PrivatePostgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("alpharen-postgres-");
    if (isRoot()) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      PosixFileAttributeView owner = Files.getFileAttributeView(dir,
          PosixFileAttributeView.class);
      owner.setOwner(users.lookupPrincipalByName(RUN_AS));
      owner.setGroup(users.lookupPrincipalByGroupName(RUN_AS_GROUP));
    }
    Path log = dir.resolve("initdb.log");
    Process p = new ProcessBuilder(asServerUser(bin.resolve("initdb").toString(), "-D",
        dir.resolve("data").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C", "--no-sync")).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("initdb failed; see " + log + ":\n" + Files.readString(log));
    }
    PrivatePostgres db = new PrivatePostgres(dir, bin, freePort());
    db.startServer();
    return db;
  }

  @Override
  public void startServer() throws IOException {
    process = new ProcessBuilder(asServerUser(bin.resolve("postgres").toString(), "-D",
        dir.resolve("data").toString(), "-p", String.valueOf(port),
        "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
        "-c", "shared_buffers=16MB", "-c", "fsync=off")).directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
        .start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("postgres exited with " + process.exitValue() + ":\n"
            + Files.readString(dir.resolve("server.log")));
      }
      try (Connection c = DriverManager.getConnection(url("postgres"), user(), "")) {
        return c.isValid(1);
      } catch (SQLException e) {
        return false; // not accepting yet, or still recovering from the kill
      }
    });
  }

  @Override
  public void kill() throws InterruptedException {
    // the postmaster and its backends, which would otherwise hold on to the shared memory
    List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
    all.add(0, process.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return false;
      } catch (IOException e) {
        return true;
      }
    });
  }

  @Override
  public String url(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  @Override
  public String user() {
    return "postgres";
  }

  @Override
  public void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), user(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<String> asServerUser(String... command) {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("setpriv", "--reuid=" + RUN_AS, "--regid=" + RUN_AS_GROUP,
          "--clear-groups", "--"));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static Path binaries() throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(VERSIONS)) {
      try (Stream<Path> versions = Files.list(VERSIONS)) {
        versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))
            && Files.isExecutable(b.resolve("initdb"))).forEach(found::add);
      }
    }
    return found.stream().max(Comparator.comparingInt(PrivatePostgres::version))
        .orElseThrow(() -> new IllegalStateException("no PostgreSQL server found under "
            + VERSIONS + "/<version>/bin; install the postgresql package (Debian: apt-get install"
            + " postgresql; .ci/run does this) to run the JDBC sink tests"));
  }

  private static int version(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", ""));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

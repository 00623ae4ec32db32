package dev.alpharen.arsrv.activity;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for tests: its own data directory under {@code target/}, its own port
 * on 127.0.0.1 and its own socket, started from the {@code mariadb-server} package's binaries
 * (no system service). Grant tables are skipped: any user connects, which is all a test needs.
 * Can be stopped and started again on the same port to make an outage.
 */
final class PrivateMariaDb implements TestDatabase {
  private static final List<Path> SERVERS = List.of(Path.of("/usr/sbin/mariadbd"),
      Path.of("/usr/bin/mariadbd"), Path.of("/usr/sbin/mysqld"));
  private static final List<Path> INSTALLERS = List.of(Path.of("/usr/bin/mariadb-install-db"),
      Path.of("/usr/bin/mysql_install_db"));

  private final Path dir;
  private final Path server;
  private final int port;
  private Process process;

  private PrivateMariaDb(Path dir, Path server, int port) {
    this.dir = dir;
    this.server = server;
    this.port = port;
  }

  /** Creates a data directory under {@code target/} and starts a server on a free port. */
  static PrivateMariaDb start() throws IOException, InterruptedException {
    Path server = first(SERVERS);
    Path installer = first(INSTALLERS);
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "mariadb-");
    Path data = dir.resolve("data");
    List<String> install = new ArrayList<>(List.of(installer.toString(), "--no-defaults",
        "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
    if (isRoot()) {
      install.add("--user=root");
    }
    Process p = new ProcessBuilder(install).redirectErrorStream(true)
        .redirectOutput(dir.resolve("install.log").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("mariadb-install-db failed; see " + dir.resolve("install.log") + ":\n"
          + Files.readString(dir.resolve("install.log")));
    }
    PrivateMariaDb db = new PrivateMariaDb(dir, server, freePort());
    db.startServer();
    return db;
  }

  @Override
  public void startServer() throws IOException {
    List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults",
        "--datadir=" + dir.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
        "--socket=" + dir.resolve("mysqld.sock"), "--pid-file=" + dir.resolve("mysqld.pid"),
        "--skip-grant-tables", "--skip-name-resolve", "--innodb-buffer-pool-size=16M",
        "--log-error=" + dir.resolve("server.log")));
    if (isRoot()) {
      command.add("--user=root");
    }
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
        .start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("mariadbd exited with " + process.exitValue() + "; see "
            + dir.resolve("server.log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  @Override
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public String url(String name) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + name;
  }

  @Override
  public String user() {
    return "root";
  }

  @Override
  public void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(""), user(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private static Path first(List<Path> candidates) {
    return candidates.stream().filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("no MariaDB server binary found at "
            + candidates + "; install the mariadb-server package (Debian: apt-get install"
            + " mariadb-server; .ci/run does this) to run the JDBC sink tests"));
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

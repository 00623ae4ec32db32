package dev.alpharen.arsrv.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.alpharen.arsrv.node.NodeReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real node process of a {@link TestCluster}: its own JVM, data directory, fixed cluster port
 * and log file. Offers what cluster tests do to nodes: start, stop (SIGTERM), kill (SIGKILL),
 * restart, pause and resume (SIGSTOP/SIGCONT), and HTTP calls with admin credentials. Not
 * thread-safe; one test drives it.
 */
public final class TestNode {
  /** The admin password every test node is given. */
  public static final String ADMIN_PASSWORD = "test-admin-password";
  /** A broker user with every role, configured on every test node. */
  public static final String BROKER_USER = "it-client";
  public static final String BROKER_PASSWORD = "it-client-password";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String id;
  private final Path dir;
  private final int clusterPort;
  private final int brokerPort;
  private final Path config;
  private final List<String> sets;
  private final List<String> ownSets = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Process process;
  private volatile String httpUrl;

  TestNode(String id, Path dir, int clusterPort, int brokerPort, Path config, List<String> sets) {
    this.id = id;
    this.dir = dir;
    this.clusterPort = clusterPort;
    this.brokerPort = brokerPort;
    this.config = config;
    this.sets = List.copyOf(sets);
  }

  /** The node broker's acceptor (CORE, AMQP, OpenWire), fixed across restarts. */
  public String brokerUrl() {
    return "tcp://127.0.0.1:" + brokerPort;
  }

  /** The port of the node broker's acceptor. */
  public int brokerPort() {
    return brokerPort;
  }

  /** Starts the process (without waiting for readiness). */
  public TestNode start() {
    if (isAlive()) {
      throw new IllegalStateException("node " + id + " is already running (pid " + pid() + ")");
    }
    List<String> args = new ArrayList<>(List.of("node", "--config", config.toString()));
    java.util.stream.Stream.concat(sets.stream(), ownSets.stream()).forEach(s -> {
      args.add("--set");
      args.add(s);
    });
    try {
      appendToLog("---- starting node " + id + " at " + Instant.now() + " ----");
      process = NodeProcess.start(dir, log(), Map.of(), args.toArray(String[]::new));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + id, e);
    }
    httpUrl = null;
    return this;
  }

  /** Adds {@code key=value} settings for this node only, used from its next start on. */
  public TestNode set(String... settings) {
    ownSets.addAll(List.of(settings));
    return this;
  }

  /** Waits until the node has started and reported its HTTP address (ready or not). */
  public TestNode awaitStarted() {
    await("node " + id + " started (log: " + log() + ")").atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!isAlive()) {
            throw new AssertionError("node " + id + " exited with " + process.exitValue()
                + "; log: " + log() + "\n" + tail());
          }
          return reported();
        });
    return this;
  }

  /** Waits until the node reports itself and answers {@code /health/ready} with 200. */
  public TestNode awaitReady() {
    await("node " + id + " ready (log: " + log() + ")").atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!isAlive()) {
            throw new AssertionError("node " + id + " exited with " + process.exitValue()
                + "; log: " + log() + "\n" + tail());
          }
          return ready();
        });
    return this;
  }

  private boolean reported() throws IOException {
    if (httpUrl == null) {
      Path report = dir.resolve("data").resolve(NodeReport.FILE);
      if (!Files.exists(report)) {
        return false;
      }
      NodeReport r = NodeReport.read(dir.resolve("data"));
      if (r.pid() != process.pid()) {
        return false; // left over from an earlier run
      }
      httpUrl = r.http();
    }
    return true;
  }

  private boolean ready() throws IOException {
    if (!reported()) {
      return false;
    }
    try {
      return get("/health/ready").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit code. */
  public int stop() {
    requireAlive();
    process.destroy();
    return waitForExit(Duration.ofSeconds(30));
  }

  /** Waits for the process to end by itself (for example after a drain); returns its exit code. */
  public int awaitExit(Duration timeout) {
    if (process == null) {
      throw new IllegalStateException("node " + id + " was never started");
    }
    return waitForExit(timeout);
  }

  /** Sends SIGKILL ({@code kill -9}) and waits for the process to be gone. */
  public void kill() {
    requireAlive();
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(10));
  }

  /** Freezes the process with SIGSTOP: the stand-in for a machine that vanished silently. */
  public void pause() {
    signal("STOP");
  }

  /** Resumes a process frozen with {@link #pause()}. */
  public void resume() {
    signal("CONT");
  }

  /** Starts again with the same data directory and ports, and waits for readiness. */
  public TestNode restart() {
    if (isAlive()) {
      stop();
    }
    return start().awaitReady();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    requireAlive();
    return process.pid();
  }

  public String id() {
    return id;
  }

  public int clusterPort() {
    return clusterPort;
  }

  /** Base URL of the node's HTTP server; known once the node was ready. */
  public String httpUrl() {
    if (httpUrl == null) {
      throw new IllegalStateException("node " + id + " has not reported its HTTP address; call"
          + " awaitReady() first");
    }
    return httpUrl;
  }

  public Path dataDir() {
    return dir.resolve("data");
  }

  /** The node's log (stdout and stderr of every run, appended). */
  public Path log() {
    return dir.resolve(id + ".log");
  }

  /** GET with admin credentials. */
  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(httpUrl() + path)).GET());
  }

  /** GET a JSON resource with admin credentials, asserting 200. */
  public JsonNode getJson(String path) {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " on " + id + " answered " + response.statusCode()
          + ": " + response.body());
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " on " + id + " is not JSON: " + response.body(), e);
    }
  }

  /** The node ids {@code /api/v1/cluster} lists on this node. */
  public List<String> memberIds() {
    List<String> ids = new ArrayList<>();
    getJson("/api/v1/cluster").get("members").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  /** Sends a request with admin credentials; I/O failures become {@link UncheckedIOException}. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    String auth = Base64.getEncoder().encodeToString(
        ("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    try {
      return HTTP.send(request.header("Authorization", "Basic " + auth)
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.build().uri() + " on node " + id + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The last lines of the node's log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  void destroy() {
    if (process != null && process.isAlive()) {
      signal("CONT");
      process.destroyForcibly();
      waitForExit(Duration.ofSeconds(10));
    }
  }

  private int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + id + " did not exit within " + timeout + "; log: "
            + log());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void signal(String name) {
    requireAlive();
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
          .inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void requireAlive() {
    if (!isAlive()) {
      throw new IllegalStateException("node " + id + " is not running");
    }
  }

  private void appendToLog(String line) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(log(), line + System.lineSeparator(), StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }
}

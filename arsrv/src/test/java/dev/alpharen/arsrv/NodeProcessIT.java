package dev.alpharen.arsrv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.alpharen.arsrv.testing.NodeProcess;
import dev.alpharen.arsrv.testing.TestCluster;
import dev.alpharen.arsrv.testing.TestNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single real node process: first start, configuration errors, credentials, signals. */
class NodeProcessIT {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static TestCluster single;

  @TempDir
  Path work;

  @BeforeAll
  static void startNode() {
    single = TestCluster.start(1);
  }

  @AfterAll
  static void stopNode() {
    single.close();
  }

  @Test
  void launcherStartsANodeWithEmbeddedDefaultsAndStopsWithExitZeroOnSigterm() throws Exception {
    assumeTrue(free(8080) && free(5701) && free(61616),
        "default ports 8080, 5701 and 61616 must be free on this machine");
    Path home = Path.of(System.getProperty("alpharen.home", "..")).toAbsolutePath().normalize();
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/alpha-ren").toString(), "node")
        .directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(work.resolve("node.log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("ALPHAREN_"));
    Process node = builder.start();
    try {
      // The first start also builds the class-data archive (a training run of a whole node).
      await("default node ready on :8080").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> status("http://127.0.0.1:8080/health/ready", null) == 200);
      Path password = work.resolve("data").resolve("initial-admin-password");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
      // The start-up summary follows readiness: /health/ready can answer 200 a moment before it.
      await("start-up summary logged").atMost(Duration.ofSeconds(10))
          .until(() -> Files.readString(work.resolve("node.log")).contains("ready in"));
      String log = Files.readString(work.resolve("node.log"));
      assertTrue(log.contains("http://127.0.0.1:8080"), log);
      assertFalse(log.contains(Files.readString(password).trim()), "the password is never logged");

      node.destroy(); // SIGTERM
      assertTrue(node.waitFor(10, TimeUnit.SECONDS), "node stops within 10 s of SIGTERM");
      assertEquals(0, node.exitValue());
      assertFalse(Files.exists(work.resolve("data").resolve("node.json")));
    } finally {
      node.destroyForcibly();
    }
  }

  @Test
  void badConfigurationExitsWithCode2AndNamesEveryProblem() throws Exception {
    Path config = work.resolve("node.yaml");
    Files.writeString(config, String.join("\n",
        "cluster:",
        "  nmae: typo",
        "  port: 70000",
        "http:",
        "  port: eighty",
        ""));
    Path log = work.resolve("bad.log");
    Process node = NodeProcess.start(work, log, Map.of(), "node", "--config", config.toString());
    assertTrue(node.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, node.exitValue());
    String out = Files.readString(log);
    assertTrue(out.contains("the configuration has 3 problem(s)"), out);
    assertTrue(out.contains(config + ":2: cluster.nmae: unknown key; allowed keys under cluster:"
        + " name, host, port, join"), out);
    assertTrue(out.contains(config + ":5: http.port: expected a whole number, got \"eighty\""), out);
    assertTrue(out.contains(config + ":3: cluster.port: 70000 is out of range; allowed 0-65535"),
        out);
    assertFalse(Files.exists(work.resolve("data")), "a refused configuration creates nothing");
  }

  @Test
  void missingConfigurationFileExitsWithCode2() throws Exception {
    Path log = work.resolve("missing.log");
    Process node = NodeProcess.start(work, log, Map.of(), "node", "--config", "nowhere.yaml");
    assertTrue(node.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, node.exitValue());
    String out = Files.readString(log);
    assertTrue(out.contains("nowhere.yaml: cannot read the configuration file: no such file"), out);
  }

  @Test
  void secondNodeOnADataDirectoryInUseIsRefused() throws Exception {
    TestNode running = single.node(0);
    Path log = work.resolve("second.log");
    Process second = NodeProcess.start(work, log, Map.of(), "node",
        "--set", "node.dataDir=" + running.dataDir(), "--set", "http.port=0",
        "--set", "cluster.port=0");
    assertTrue(second.waitFor(30, TimeUnit.SECONDS));
    assertEquals(1, second.exitValue());
    String out = Files.readString(log);
    assertTrue(out.contains("is already in use by another node (pid " + running.pid() + ")"), out);
    assertEquals(200, running.get("/health/ready").statusCode(), "the running node is unharmed");
  }

  @Test
  void adminApiNeedsTheAdminPasswordWhileHealthStaysOpen() throws Exception {
    String url = single.node(0).httpUrl();
    assertEquals(200, status(url + "/health/live", null));
    assertEquals(200, status(url + "/health/ready", null));
    assertEquals(401, status(url + "/api/v1/cluster", null));
    assertEquals(401, status(url + "/api/v1/cluster", "admin:wrong-password"));
    assertEquals(401, status(url + "/api/v1/cluster", "root:" + TestNode.ADMIN_PASSWORD));
    assertEquals(200, status(url + "/api/v1/cluster", "admin:" + TestNode.ADMIN_PASSWORD));

    HttpResponse<String> unknown = single.node(0).get("/api/v1/nothing-here");
    assertEquals(404, unknown.statusCode());
    assertEquals("{\"error\":\"no such API resource: GET /api/v1/nothing-here\"}", unknown.body());
    HttpResponse<String> wrongMethod = single.node(0).send(HttpRequest.newBuilder(
        URI.create(url + "/api/v1/cluster")).DELETE());
    assertEquals(405, wrongMethod.statusCode());
    assertTrue(wrongMethod.body().contains("method DELETE is not allowed"), wrongMethod.body());
  }

  @Test
  void pausedNodeStopsAnsweringAndAnswersAgainAfterResume() {
    TestNode node = single.node(0);
    node.pause();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !answers(node.httpUrl() + "/health/live"));
    } finally {
      node.resume();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> answers(node.httpUrl() + "/health/live"));
  }

  @Test
  void sigtermStopsAClusterNodeWithExitZeroAndItRestarts() {
    try (TestCluster cluster = TestCluster.start(1)) {
      assertEquals(0, cluster.node(0).stop());
      cluster.node(0).restart();
      assertEquals(java.util.List.of("n1"), cluster.node(0).memberIds());
    }
  }

  private static boolean answers(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(500))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int status(String url, String credentials) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5));
    if (credentials != null) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(credentials.getBytes()));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

}

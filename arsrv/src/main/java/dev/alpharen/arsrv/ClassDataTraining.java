package dev.alpharen.arsrv;

import dev.alpharen.arsrv.config.ConfigException;
import dev.alpharen.arsrv.config.ConfigLoader;
import dev.alpharen.arsrv.config.NodeConfig;
import dev.alpharen.arsrv.node.Node;
import dev.alpharen.arsrv.node.NodeReport;
import dev.alpharen.arsrv.node.StartupException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One throw-away start of a node on free ports and a temporary data directory, with a few requests
 * to it, so that a JVM run with {@code -XX:ArchiveClassesAtExit} records the classes a real start
 * loads. {@code bin/alpha-ren} runs it once per build; the archive then halves start-up time.
 */
final class ClassDataTraining {
  private static final Logger log = LoggerFactory.getLogger(ClassDataTraining.class);
  private static final String PASSWORD = "class-data-training";

  private ClassDataTraining() {}

  /** Starts, exercises and stops a node; true if all of it worked. */
  static boolean run() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("alpharen-training");
      NodeConfig config = new ConfigLoader(Map.of(), "training").load(Optional.empty(), List.of(
          "node.dataDir=" + dir, "http.port=0", "cluster.port=0", "broker.port=0",
          "proxy.port=0", "dns.port=0",
          "security.adminPassword=" + PASSWORD, "cluster.name=training-" + ProcessHandle.current().pid()));
      Node node = new Node(config, Main.version());
      node.start(() -> { });
      try {
        String base = NodeReport.read(dir).http();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes());
        for (String path : List.of("/health/live", "/health/ready", "/api/v1/cluster")) {
          http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
              .build(), HttpResponse.BodyHandlers.ofString());
        }
        deployOneIntegration(http, base, auth);
      } finally {
        node.close();
      }
      return true;
    } catch (ConfigException | StartupException | IOException e) {
      log.error("class-data training failed: {}", e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Loads what the first deploy of an integration loads: Camel, its YAML DSL, the engine. */
  private static void deployOneIntegration(HttpClient http, String base, String auth)
      throws IOException, InterruptedException {
    String yaml = "- from:\n    uri: platform-http:/training\n    steps:\n"
        + "      - setBody:\n          simple: \"trained ${header.n}\"\n";
    http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/integrations/training"))
        .header("Authorization", auth).PUT(HttpRequest.BodyPublishers.ofString(yaml)).build(),
        HttpResponse.BodyHandlers.ofString());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline && http.send(HttpRequest.newBuilder(
        URI.create(base + "/training?n=1")).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode() != 200) {
      Thread.sleep(50); // the reconciler deploys it within a second
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}

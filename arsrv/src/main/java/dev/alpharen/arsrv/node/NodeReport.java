package dev.alpharen.arsrv.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * What a running node tells local tools about itself (the launcher's commands, the test fixture):
 * written to {@code <dataDir>/node.json} once the node is ready, removed when it stops cleanly.
 * A stale file is recognised by its pid no longer running.
 *
 * @param id the node id
 * @param pid the node's process id
 * @param http base URL of the node's HTTP server
 * @param cluster the cluster member's address, {@code host:port}
 * @param readyAt when the node became ready
 */
public record NodeReport(String id, long pid, String http, String cluster, Instant readyAt) {
  /** File name inside the data directory. */
  public static final String FILE = "node.json";

  private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  /** Writes the report atomically, so a reader never sees half a file. */
  void write(Path dataDir) throws IOException {
    Path tmp = dataDir.resolve(FILE + ".tmp");
    Files.writeString(tmp, MAPPER.writeValueAsString(new Json(id, pid, http, cluster,
        readyAt.toString())));
    Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  static void remove(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(FILE));
  }

  /** Reads the report a node wrote into {@code dataDir}. */
  public static NodeReport read(Path dataDir) throws IOException {
    Json json = MAPPER.readValue(dataDir.resolve(FILE).toFile(), Json.class);
    return new NodeReport(json.id(), json.pid(), json.http(), json.cluster(),
        Instant.parse(json.readyAt()));
  }

  private record Json(String id, long pid, String http, String cluster, String readyAt) {}
}

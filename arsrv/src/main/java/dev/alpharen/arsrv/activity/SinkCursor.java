package dev.alpharen.arsrv.activity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a sink is in the journal's file, kept in {@code cursor-<sink>.json} beside the segments and
 * replaced atomically on every move, so that a restart resumes where the sink stopped. A new sink
 * starts at the file's end, kept at once so that what comes next is not skipped if the node stops
 * before the sink took anything. Thread-safe for one writer and any readers.
 */
final class SinkCursor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private volatile ActivityFile.Position position;

  private SinkCursor(Path file, ActivityFile.Position position) {
    this.file = file;
    this.position = position;
  }

  /** The kept cursor of {@code sink}, or a new one at {@code end}. */
  static SinkCursor open(Path stateDir, String sink, ActivityFile.Position end) throws IOException {
    Path file = stateDir.resolve("cursor-" + sink + ".json");
    if (Files.exists(file)) {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return new SinkCursor(file, new ActivityFile.Position(n.path("segment").asText(),
          n.path("offset").asLong()));
    }
    SinkCursor cursor = new SinkCursor(file, ActivityFile.Position.START);
    cursor.move(end);
    return cursor;
  }

  ActivityFile.Position position() {
    return position;
  }

  /** Keeps {@code next} on the disk, then makes it the position. */
  void move(ActivityFile.Position next) throws IOException {
    if (next.equals(position)) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.createObjectNode().put("segment", next.segment())
        .put("offset", next.offset()).toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    position = next;
  }
}

package dev.alpharen.arsrv.activity;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded action: what happened, where, to what, and when. The journal stamps the id, time,
 * cluster and node; the rest comes from whoever recorded it. Empty strings mean "does not apply".
 * Stored as one JSON object per line ({@link #toJson()}). Immutable.
 *
 * @param id unique within the cluster: the node id, the journal's start and a sequence number
 * @param at when it was recorded
 * @param cluster the cluster name
 * @param node the node that recorded it
 * @param type what kind of action it was
 * @param severity how much it matters
 * @param integration the integration it concerns, or ""
 * @param exchangeId the Camel exchange it concerns, or ""
 * @param correlationId the exchange's correlation id, or ""
 * @param message one human-readable line
 * @param details anything else, as JSON values
 */
public record Activity(String id, Instant at, String cluster, String node, ActivityType type,
    Severity severity, String integration, String exchangeId, String correlationId,
    String message, Map<String, Object> details) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  public Activity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(severity, "severity");
    integration = Objects.requireNonNullElse(integration, "");
    exchangeId = Objects.requireNonNullElse(exchangeId, "");
    correlationId = Objects.requireNonNullElse(correlationId, "");
    message = Objects.requireNonNullElse(message, "");
    details = details == null ? Map.of() : details;
  }

  /** One line of JSON, without a line break; fields that do not apply are left out. */
  public String toJson() {
    StringWriter out = new StringWriter(192);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      writeJson(g);
    } catch (IOException e) {
      throw new UncheckedIOException("activity " + id + " details are not serializable", e);
    }
    return out.toString();
  }

  /** Writes the object of {@link #toJson()} to a generator (the journal writes batches so). */
  void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", id);
    g.writeStringField("at", at.toString());
    g.writeStringField("cluster", cluster);
    g.writeStringField("node", node);
    g.writeStringField("type", type.label());
    g.writeStringField("severity", severity.label());
    optional(g, "integration", integration);
    optional(g, "exchangeId", exchangeId);
    optional(g, "correlationId", correlationId);
    g.writeStringField("message", message);
    if (!details.isEmpty()) {
      g.writeFieldName("details");
      JSON.writeValue(g, details);
    }
    g.writeEndObject();
  }

  /** A generator for batches of lines: no separator between root values. */
  static JsonGenerator lineGenerator(java.io.OutputStream out) throws IOException {
    JsonGenerator g = JSON.getFactory().createGenerator(out);
    g.setRootValueSeparator(null);
    return g;
  }

  /** The activity as a JSON-ready map, fields in the order of {@link #toJson()}. */
  public Map<String, Object> toMap() {
    try {
      return JSON.readValue(toJson(), MAP);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads one line that {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException if the line is not such an activity
   */
  public static Activity fromJson(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON activity: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON activity object");
    }
    ActivityType type = ActivityType.ofLabel(n.path("type").asText())
        .orElseThrow(() -> new IllegalArgumentException("unknown activity type '"
            + n.path("type").asText() + "'"));
    Severity severity = Severity.ofLabel(n.path("severity").asText())
        .orElseThrow(() -> new IllegalArgumentException("unknown severity '"
            + n.path("severity").asText() + "'"));
    Map<String, Object> details = n.has("details")
        ? JSON.convertValue(n.get("details"), MAP) : Map.of();
    return new Activity(n.path("id").asText(), Instant.parse(n.path("at").asText()),
        n.path("cluster").asText(), n.path("node").asText(), type, severity,
        n.path("integration").asText(), n.path("exchangeId").asText(),
        n.path("correlationId").asText(), n.path("message").asText(), details);
  }

  /** Details built from keys and values in order: {@code details("user", u, "status", 200)}. */
  public static Map<String, Object> details(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must come in pairs, got "
          + keysAndValues.length + " items");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static void optional(JsonGenerator g, String field, String value) throws IOException {
    if (!value.isEmpty()) {
      g.writeStringField(field, value);
    }
  }
}

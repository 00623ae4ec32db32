package dev.alpharen.arsrv.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of an integration as the registry keeps it: the Camel YAML document and the metadata
 * that travels with it. Stored in the registry as a small JSON envelope ({@link #toJson()}), so the
 * document stays byte for byte what the user sent. Immutable.
 *
 * @param name 1-63 of a-z, 0-9 and '-', not starting or ending with '-'
 * @param document the Camel YAML DSL text, metadata comments included
 * @param mode where the integration's consumers run
 * @param pollers where its schedule and poller consumers run (timer, cron, quartz, file, ...)
 *     when {@code mode} is active-active; singleton unless the integration says otherwise
 * @param retry in-memory redelivery of failing steps
 * @param description free text for operators
 * @param queue bounds of the broker queues its routes use
 * @param capture which exchanges become activities: off, failures, all, or "" for the node's
 *     {@code activities.capture}
 */
public record IntegrationSpec(String name, String document, Mode mode, Mode pollers,
    RetryPolicy retry, String description, QueuePolicy queue, String capture) {
  /** The rule for integration names, which appear in route ids, metrics and URLs. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final ObjectMapper JSON = new ObjectMapper();

  public IntegrationSpec {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("integration name must be 1-63 of a-z, 0-9 and '-', not"
          + " starting or ending with '-', was '" + name + "'");
    }
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(pollers, "pollers");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(capture, "capture");
  }

  /** A spec with the cluster's queue bounds that leaves capture to the node. */
  public IntegrationSpec(String name, String document, Mode mode, Mode pollers, RetryPolicy retry,
      String description) {
    this(name, document, mode, pollers, retry, description, QueuePolicy.DEFAULTS, "");
  }

  /** Where a consumer of this integration runs, given whether it is a schedule or poller. */
  public Mode modeOf(boolean poller) {
    return mode == Mode.SINGLETON || poller && pollers == Mode.SINGLETON
        ? Mode.SINGLETON : Mode.ACTIVE_ACTIVE;
  }

  /** The registry content: a JSON object with the metadata and the document. */
  public String toJson() {
    ObjectNode json = JSON.createObjectNode();
    json.put("mode", mode.label());
    json.put("pollers", pollers.label());
    json.put("description", description);
    if (!capture.isEmpty()) {
      json.put("capture", capture);
    }
    ObjectNode r = json.putObject("retry");
    r.put("maxAttempts", retry.maxAttempts());
    r.put("initialDelayMs", retry.initialDelay().toMillis());
    r.put("multiplier", retry.multiplier());
    r.put("maxDelayMs", retry.maxDelay().toMillis());
    r.put("jitter", retry.jitter());
    r.put("durableAttempts", retry.durable().attempts());
    r.put("durableInitialDelayMs", retry.durable().initialDelay().toMillis());
    r.put("durableMaxDelayMs", retry.durable().maxDelay().toMillis());
    ObjectNode q = json.putObject("queue");
    q.put("maxMessages", queue.maxMessages());
    q.put("maxBytes", queue.maxBytes());
    q.put("fullPolicy", queue.fullPolicy());
    json.put("document", document);
    return json.toString();
  }

  /** Reads what {@link #toJson()} wrote. */
  public static IntegrationSpec fromJson(String name, String json) {
    try {
      JsonNode n = JSON.readTree(json);
      JsonNode r = n.path("retry");
      // versions stored before durable retries existed get the default durable retries
      RetryPolicy.Durable d = RetryPolicy.Durable.defaults();
      RetryPolicy retry = new RetryPolicy(r.path("maxAttempts").asInt(),
          Duration.ofMillis(r.path("initialDelayMs").asLong()), r.path("multiplier").asDouble(),
          Duration.ofMillis(r.path("maxDelayMs").asLong()), r.path("jitter").asDouble(),
          new RetryPolicy.Durable(r.path("durableAttempts").asInt(d.attempts()),
              Duration.ofMillis(r.path("durableInitialDelayMs")
                  .asLong(d.initialDelay().toMillis())),
              Duration.ofMillis(r.path("durableMaxDelayMs").asLong(d.maxDelay().toMillis()))));
      return new IntegrationSpec(name, n.path("document").asText(),
          Mode.parse("mode", n.path("mode").asText()),
          Mode.parse("pollers", n.path("pollers").asText()), retry,
          n.path("description").asText(),
          new QueuePolicy(n.path("queue").path("maxMessages").asLong(),
              n.path("queue").path("maxBytes").asLong(),
              n.path("queue").path("fullPolicy").asText()),
          n.path("capture").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException("integration '" + name + "' is not a stored envelope", e);
    }
  }
}

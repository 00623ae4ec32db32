package dev.alpharen.arsrv.runtime;

import com.hazelcast.map.IMap;
import dev.alpharen.arclst.ClusterEvent;
import dev.alpharen.arclst.ClusterEvents;
import dev.alpharen.arclst.VersionConflictException;
import dev.alpharen.arclst.Versioned;
import dev.alpharen.arclst.VersionedRegistry;
import dev.alpharen.arwadm.IntegrationRejectedException;
import dev.alpharen.arwadm.Integrations;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The integrations the admin API manages: each deploy is parsed and built in a scratch context
 * first and stored in the registry only if that succeeds, so a refused document changes nothing
 * anywhere. Reports each integration with its state on every member node. Thread-safe.
 */
final class IntegrationService implements Integrations {
  /** The registry namespace (and event namespace) of integrations. */
  static final String NAMESPACE = "integrations";

  private final VersionedRegistry registry;
  private final IMap<String, Boolean> stopped;
  private final CamelRuntime runtime;
  private final StatusBoard board;
  private final Supplier<List<String>> members;
  private final ClusterEvents events;
  private final SpecParser parser = new SpecParser();
  private final dev.alpharen.arsrv.activity.ActivityRecorder activities;

  /** @param members the node ids in the cluster now */
  IntegrationService(VersionedRegistry registry, IMap<String, Boolean> stopped,
      CamelRuntime runtime, StatusBoard board, Supplier<List<String>> members,
      ClusterEvents events, dev.alpharen.arsrv.activity.ActivityRecorder activities) {
    this.activities = activities;
    this.registry = registry;
    this.stopped = stopped;
    this.runtime = runtime;
    this.board = board;
    this.members = members;
    this.events = events;
  }

  /** Parses and validates without storing. */
  IntegrationSpec check(String name, String document, Map<String, String> options)
      throws IntegrationRejectedException {
    IntegrationSpec spec = parser.parse(name, document, options);
    runtime.validate(spec);
    return spec;
  }

  @Override
  public Map<String, Object> deploy(String name, String document, Map<String, String> options,
      long expectedVersion, String author)
      throws IntegrationRejectedException, VersionConflictException {
    IntegrationSpec spec = check(name, document, options);
    Optional<Versioned> current = registry.get(name);
    if (current.isPresent() && current.get().content().equals(spec.toJson())
        && (expectedVersion == VersionedRegistry.ANY
        || expectedVersion == current.get().version())) {
      // the same document and metadata again: no new version, no swap on the nodes
      return map("name", name, "version", current.get().version(), "created", false,
          "unchanged", true);
    }
    Versioned saved = registry.put(name, spec.toJson(), expectedVersion, author);
    announce(saved);
    activities.record(dev.alpharen.arsrv.activity.ActivityType.INTEGRATION_DEPLOYED,
        dev.alpharen.arsrv.activity.Severity.NOTICE,
        dev.alpharen.arsrv.activity.ActivityRecorder.Scope.integration(name),
        "integration " + name + " version " + saved.version() + " deployed by " + author,
        Map.of("version", saved.version(), "author", String.valueOf(author)));
    List<Versioned> history = registry.history(name);
    boolean created = saved.version() == 1
        || history.size() >= 2 && history.get(history.size() - 2).deleted();
    return map("name", name, "version", saved.version(), "created", created);
  }

  @Override
  public List<Map<String, Object>> list() {
    var states = states();
    return registry.list().stream().map(v -> summary(v, states)).toList();
  }

  @Override
  public Optional<Map<String, Object>> describe(String name) {
    return registry.get(name).map(v -> {
      IntegrationSpec spec = IntegrationSpec.fromJson(name, v.content());
      Map<String, Object> json = summary(v, states());
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("maxAttempts", spec.retry().maxAttempts());
      retry.put("initialDelayMs", spec.retry().initialDelay().toMillis());
      retry.put("multiplier", spec.retry().multiplier());
      retry.put("maxDelayMs", spec.retry().maxDelay().toMillis());
      retry.put("jitter", spec.retry().jitter());
      retry.put("durableAttempts", spec.retry().durable().attempts());
      retry.put("durableInitialDelayMs", spec.retry().durable().initialDelay().toMillis());
      retry.put("durableMaxDelayMs", spec.retry().durable().maxDelay().toMillis());
      json.put("retry", retry);
      json.put("document", spec.document());
      json.put("versions", registry.history(name).stream().map(h -> {
        Map<String, Object> entry = map("version", h.version(), "updatedAt",
            h.updatedAt().toString(), "updatedBy", h.updatedBy());
        if (h.deleted()) {
          entry.put("deleted", true);
        }
        return entry;
      }).toList());
      return json;
    });
  }

  @Override
  public Map<String, Object> delete(String name, long expectedVersion, String author)
      throws VersionConflictException {
    Versioned tombstone = registry.delete(name, expectedVersion, author);
    stopped.delete(name);
    announce(tombstone);
    return map("name", name, "version", tombstone.version(), "deleted", true);
  }

  @Override
  public Map<String, Object> rollback(String name, long to, String author)
      throws VersionConflictException {
    Versioned saved = registry.rollback(name, to, author);
    announce(saved);
    return map("name", name, "version", saved.version());
  }

  @Override
  public Map<String, Object> setRunning(String name, boolean running) {
    Versioned current = registry.get(name).orElseThrow(() ->
        new NoSuchElementException("no integration '" + name + "'"));
    if (running) {
      stopped.delete(name);
    } else {
      stopped.set(name, Boolean.TRUE);
    }
    return map("name", name, "version", current.version(), "running", running);
  }

  private Map<String, Object> summary(Versioned v,
      Map<String, Map<String, Map<String, Object>>> states) {
    IntegrationSpec spec = IntegrationSpec.fromJson(v.name(), v.content());
    Map<String, Object> json = map("name", v.name(), "version", v.version(),
        "mode", spec.mode().label(), "pollers", spec.pollers().label(),
        "description", spec.description(), "running", !stopped.containsKey(v.name()),
        "updatedAt", v.updatedAt().toString(), "updatedBy", v.updatedBy());
    Map<String, Object> nodes = new LinkedHashMap<>();
    states.forEach((node, byName) -> {
      Map<String, Object> state = byName.get(v.name());
      nodes.put(node, state == null ? Map.of("state", "pending") : state);
    });
    json.put("nodes", nodes);
    return json;
  }

  /** Each member node's states; members that published nothing yet are pending. */
  private Map<String, Map<String, Map<String, Object>>> states() {
    Map<String, Map<String, Map<String, Object>>> published = board.read();
    Map<String, Map<String, Map<String, Object>>> states = new LinkedHashMap<>();
    for (String node : members.get()) {
      states.put(node, published.getOrDefault(node, Map.of()));
    }
    return states;
  }

  private void announce(Versioned v) {
    events.publish(new ClusterEvent.ConfigChanged(Instant.now(), NAMESPACE, v.name(),
        v.version()));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      json.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return json;
  }
}

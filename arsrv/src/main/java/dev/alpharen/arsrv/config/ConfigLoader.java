package dev.alpharen.arsrv.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link NodeConfig} from, in rising precedence: the embedded defaults, one YAML file,
 * environment variables ({@code ALPHAREN_} + the key path upper-cased with {@code _}, e.g.
 * {@code ALPHAREN_CLUSTER_NAME}) and {@code --set key=value} flags. Every problem from every
 * source is collected and reported at once, each naming the file and line, the variable or the
 * flag, and the key. Thread-safe; holds no state between loads.
 */
public final class ConfigLoader {
  /** Prefix of the environment variables that override configuration keys. */
  public static final String ENV_PREFIX = "ALPHAREN_";
  /** Variables of the launcher itself, which share the prefix but are not configuration keys. */
  private static final Set<String> LAUNCHER_VARIABLES =
      Set.of("ALPHAREN_HOME", "ALPHAREN_JAVA_OPTS", "ALPHAREN_JAVA");

  private final Map<String, String> environment;
  private final String defaultNodeId;
  private final ConfigSchema schema = new ConfigSchema(NodeConfig.class);
  private final YAMLFactory yaml = YAMLFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private final ObjectMapper mapper = new ObjectMapper(yaml).registerModule(durations());

  /**
   * @param environment the process environment (tests pass their own)
   * @param defaultNodeId the node id used when none is configured
   */
  public ConfigLoader(Map<String, String> environment, String defaultNodeId) {
    this.environment = Map.copyOf(environment);
    this.defaultNodeId = defaultNodeId;
  }

  /**
   * Loads and checks the configuration.
   *
   * @param file the YAML file, if one was given
   * @param sets {@code key=value} flags, in order; a later one wins
   * @throws ConfigException listing every problem found
   */
  public NodeConfig load(Optional<Path> file, List<String> sets) throws ConfigException {
    List<String> messages = new ArrayList<>();
    Map<String, Function<String, String>> originByLeaf = new HashMap<>();
    ObjectNode merged = mapper.valueToTree(NodeConfig.defaults(defaultNodeId));

    file.ifPresent(f -> readFile(f, messages, originByLeaf, merged));
    overlayEnvironment(messages, originByLeaf, merged);
    overlaySets(sets, messages, originByLeaf, merged);

    NodeConfig config;
    try {
      config = mapper.treeToValue(merged, NodeConfig.class);
    } catch (JsonProcessingException e) {
      // The schema check removes what cannot bind; reaching here is a bug in the schema.
      throw new IllegalStateException("checked configuration did not bind: " + e.getMessage(), e);
    }
    Problems rules = new Problems(path -> {
      String leaf = path.replaceAll("\\[\\d+]$", "");
      Function<String, String> origin = originByLeaf.get(leaf);
      if (origin == null && leaf.contains("[")) { // inside a list of mappings: the list's origin
        origin = originByLeaf.get(leaf.substring(0, leaf.indexOf('[')));
      }
      if (origin == null) { // a rule about a whole section: where any of its keys was set
        origin = originByLeaf.entrySet().stream().filter(e -> e.getKey().startsWith(leaf + "."))
            .map(Map.Entry::getValue).findFirst().orElse(null);
      }
      return origin == null ? "" : origin.apply(path);
    });
    config.check(rules);
    messages.addAll(rules.messages());
    if (!messages.isEmpty()) {
      throw new ConfigException(messages);
    }
    return config;
  }

  private void readFile(Path file, List<String> messages,
      Map<String, Function<String, String>> originByLeaf, ObjectNode merged) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      messages.add(file + ": cannot read the configuration file: no such file");
      return;
    } catch (AccessDeniedException e) {
      messages.add(file + ": cannot read the configuration file: permission denied");
      return;
    } catch (IOException e) {
      messages.add(file + ": cannot read the configuration file: " + e.getMessage());
      return;
    }
    JsonNode tree;
    LineIndex lines;
    try {
      tree = mapper.readTree(text);
      lines = LineIndex.of(yaml, text);
    } catch (JsonProcessingException e) {
      messages.add(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr()
          + ": YAML syntax error: " + e.getOriginalMessage().lines().findFirst().orElse(""));
      return;
    } catch (IOException e) {
      messages.add(file + ": cannot read the configuration file: " + e.getMessage());
      return;
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return; // an empty file: defaults everywhere
    }
    Function<String, String> origin = path -> file + ":" + lines.lineOf(path);
    if (!tree.isObject()) {
      messages.add(file + ":1: expected a mapping of sections ("
          + schema.allowedKeys(NodeConfig.class) + ") at the top level");
      return;
    }
    Problems problems = new Problems(origin);
    schema.check(tree, problems);
    messages.addAll(problems.messages());
    for (String leaf : schema.leaves().keySet()) {
      if (lines.contains(leaf) && !tree.at(pointer(leaf)).isMissingNode()) {
        originByLeaf.put(leaf, origin);
      }
    }
    overlay(merged, (ObjectNode) tree);
  }

  private void overlayEnvironment(List<String> messages,
      Map<String, Function<String, String>> originByLeaf, ObjectNode merged) {
    Map<String, String> known = new HashMap<>();
    schema.leaves().keySet().forEach(leaf -> known.put(envName(leaf), leaf));
    environment.keySet().stream().sorted().forEach(variable -> {
      if (!variable.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(variable)) {
        return;
      }
      String origin = "environment variable " + variable;
      String leaf = known.get(variable);
      if (leaf == null) {
        messages.add(origin + ": matches no configuration key; keys map to variables as"
            + " ALPHAREN_ + the key path upper-cased with '_' (e.g. ALPHAREN_CLUSTER_NAME)");
        return;
      }
      setLeaf(leaf, environment.get(variable), origin, messages, originByLeaf, merged);
    });
  }

  private void overlaySets(List<String> sets, List<String> messages,
      Map<String, Function<String, String>> originByLeaf, ObjectNode merged) {
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        messages.add("--set " + set + ": expected key=value, for example --set http.port=8081");
        continue;
      }
      String key = set.substring(0, eq).trim();
      String origin = "--set " + set;
      if (!schema.leaves().containsKey(key)) {
        messages.add(origin + ": " + key + ": unknown key; settable keys: "
            + String.join(", ", schema.leaves().keySet()));
        continue;
      }
      setLeaf(key, set.substring(eq + 1), origin, messages, originByLeaf, merged);
    }
  }

  private void setLeaf(String leaf, String text, String origin, List<String> messages,
      Map<String, Function<String, String>> originByLeaf, ObjectNode merged) {
    JsonNode value = schema.fromText(leaf, text);
    Problems problems = new Problems(path -> origin);
    if (schema.checkValue(value, leaf, problems)) {
      ObjectNode parent = merged;
      String[] parts = leaf.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        parent = parent.with(parts[i]);
      }
      parent.set(parts[parts.length - 1], value);
      originByLeaf.put(leaf, path -> origin);
    }
    messages.addAll(problems.messages());
  }

  /** The environment variable that overrides a key: {@code cluster.join.dns → ALPHAREN_CLUSTER_JOIN_DNS}. */
  public static String envName(String keyPath) {
    return ENV_PREFIX + keyPath.replace('.', '_').toUpperCase(java.util.Locale.ROOT);
  }

  /** The settable key paths and their types, for documentation and the CLI. */
  public Map<String, Type> keys() {
    return schema.leaves();
  }

  private static void overlay(ObjectNode base, ObjectNode over) {
    over.fields().forEachRemaining(field -> {
      JsonNode existing = base.get(field.getKey());
      if (existing instanceof ObjectNode b && field.getValue() instanceof ObjectNode o) {
        overlay(b, o);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    });
  }

  private static String pointer(String leaf) {
    return "/" + leaf.replace('.', '/');
  }

  private static SimpleModule durations() {
    SimpleModule module = new SimpleModule("durations");
    module.addDeserializer(Duration.class, new StdScalarDeserializer<Duration>(Duration.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return Durations.parse(p.getValueAsString());
      }
    });
    module.addSerializer(Duration.class, new ToStringSerializerBase(Duration.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public String valueToString(Object value) {
        return Durations.format((Duration) value);
      }
    });
    return module;
  }

}

package dev.alpharen.arsrv.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shape of the configuration, derived from the {@link NodeConfig} records: which keys exist and
 * what type each value has. Checks a YAML tree against it and turns flag or environment text into
 * values of the right shape. Stateless and thread-safe.
 */
final class ConfigSchema {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Class<?> root;
  private final Map<String, Type> leaves = new LinkedHashMap<>();

  ConfigSchema(Class<?> root) {
    this.root = root;
    collectLeaves(root, "");
  }

  /** Every settable key path (for example {@code cluster.join.members}) and its Java type. */
  Map<String, Type> leaves() {
    return leaves;
  }

  /**
   * Checks a whole tree from one source, recording unknown keys and values of the wrong type, and
   * removes each of them from the tree so that the rest can still be used and checked further.
   *
   * @return whether the tree had no problem
   */
  boolean check(JsonNode tree, Problems problems) {
    return checkRecord(tree, root, "", problems);
  }

  /** Turns the text of an environment variable or flag into a tree value for the key. */
  JsonNode fromText(String path, String text) {
    if (leaves.get(path) instanceof ParameterizedType && text.trim().startsWith("[")) {
      // A YAML flow list, for lists of mappings: [{name: app, password: ..., roles: [send]}]
      try {
        return new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(text);
      } catch (java.io.IOException e) {
        return TextNode.valueOf(text);
      }
    }
    if (leaves.get(path) instanceof ParameterizedType) {
      ArrayNode array = NODES.arrayNode();
      Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .forEach(array::add);
      return array;
    }
    return TextNode.valueOf(text);
  }

  /** Checks one value against the type of the key at {@code path}; true if it fits. */
  boolean checkValue(JsonNode value, String path, Problems problems) {
    return checkValue(value, leaves.get(path), path, problems);
  }

  /** The allowed keys below a section, for "unknown key" messages. */
  String allowedKeys(Class<?> record) {
    return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
        .collect(Collectors.joining(", "));
  }

  private boolean checkRecord(JsonNode node, Class<?> record, String path, Problems problems) {
    if (!node.isObject()) {
      problems.add(path.isEmpty() ? "(top level)" : path,
          "expected a mapping with keys " + allowedKeys(record) + ", got " + describe(node));
      return false;
    }
    Map<String, RecordComponent> components = Arrays.stream(record.getRecordComponents())
        .collect(Collectors.toMap(RecordComponent::getName, c -> c));
    List<String> bad = new ArrayList<>();
    node.fields().forEachRemaining(field -> {
      String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      RecordComponent component = components.get(field.getKey());
      if (component == null) {
        problems.add(childPath, "unknown key; allowed keys"
            + (path.isEmpty() ? "" : " under " + path) + ": " + allowedKeys(record));
        bad.add(field.getKey());
      } else if (!checkValue(field.getValue(), component.getGenericType(), childPath, problems)
          && !(component.getType().isRecord() && field.getValue().isObject())) {
        bad.add(field.getKey());
      }
    });
    ((ObjectNode) node).remove(bad);
    return bad.isEmpty();
  }

  private boolean checkValue(JsonNode value, Type type, String path, Problems problems) {
    String wrong;
    if (type instanceof Class<?> c && c.isRecord()) {
      return checkRecord(value, c, path, problems);
    } else if (type instanceof ParameterizedType list) {
      if (!value.isArray()) {
        problems.add(path, "expected a list, got " + describe(value));
        return false;
      }
      boolean ok = true;
      for (int i = 0; i < value.size(); i++) {
        ok &= checkValue(value.get(i), list.getActualTypeArguments()[0], path + "[" + i + "]",
            problems);
      }
      return ok;
    } else if (type == String.class) {
      wrong = value.isValueNode() && !value.isNull() ? null : "expected a text value";
    } else if (type == int.class) {
      boolean ok = value.isIntegralNumber() && value.canConvertToInt()
          || value.isTextual() && value.asText().trim().matches("-?\\d{1,9}");
      wrong = ok ? null : "expected a whole number";
    } else if (type == boolean.class) {
      boolean ok = value.isBoolean()
          || value.isTextual() && value.asText().trim().matches("true|false");
      wrong = ok ? null : "expected true or false";
    } else if (type == Duration.class) {
      boolean ok = value.isTextual() && Durations.isValid(value.asText());
      wrong = ok ? null : "expected a duration such as 500ms, 30s, 5m, 1h or 1d";
    } else {
      throw new IllegalStateException("configuration type " + type + " at " + path
          + " has no checker; add one to ConfigSchema");
    }
    if (wrong != null) {
      problems.add(path, wrong + ", got " + describe(value));
    }
    return wrong == null;
  }

  private void collectLeaves(Class<?> record, String prefix) {
    for (RecordComponent c : record.getRecordComponents()) {
      String path = prefix + c.getName();
      if (c.getType().isRecord()) {
        collectLeaves(c.getType(), path + ".");
      } else {
        leaves.put(path, c.getGenericType());
      }
    }
  }

  private static String describe(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return "nothing";
    } else if (value.isObject()) {
      return "a mapping";
    } else if (value.isArray()) {
      return "a list";
    }
    return "\"" + value.asText() + "\"";
  }
}

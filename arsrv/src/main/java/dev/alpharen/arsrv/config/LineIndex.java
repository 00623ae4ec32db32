package dev.alpharen.arsrv.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key and list item in a YAML text, by key path ({@code cluster.join.members[1]}),
 * so that problems found in the parsed tree can name the line. Immutable once built.
 */
final class LineIndex {
  private final Map<String, Integer> lines;

  private LineIndex(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Indexes a text that has already parsed without error. */
  static LineIndex of(YAMLFactory yaml, String text) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = yaml.createParser(text)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        // A mapping or list that is itself a list item opens its own context; the item's index
        // lives in the parent, so ask the parent whether this token is a list item.
        JsonStreamContext context = parser.getParsingContext();
        boolean inArray = t.isStructStart() ? context.getParent().inArray() : context.inArray();
        String path = toPath(parser.getParsingContext().pathAsPointer());
        if (!path.isEmpty() && (t == JsonToken.FIELD_NAME || inArray)) {
          lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
        }
      }
    }
    return new LineIndex(lines);
  }

  /** The line of the key at {@code path}, or of its nearest enclosing key; 0 if unknown. */
  int lineOf(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
    }
    return 0;
  }

  /** Whether the text sets the key at {@code path} (or something below it). */
  boolean contains(String path) {
    return lines.containsKey(path);
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  private static String toPath(JsonPointer pointer) {
    StringBuilder path = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (p.mayMatchElement()) {
        path.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(p.getMatchingProperty());
      }
    }
    return path.toString();
  }
}

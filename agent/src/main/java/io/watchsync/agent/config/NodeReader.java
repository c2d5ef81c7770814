package io.watchsync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns the YAML nodes of one file into typed values (text, whole numbers, booleans, durations,
 * lists of text, checked mappings). Every problem becomes a {@link ConfigException} reading {@code
 * FILE:LINE: key.path: problem}.
 */
final class NodeReader {
  /** Reads the value at a node; {@code key} is its path in the file, for messages. */
  interface Value<T> {
    T read(Node node, String key) throws ConfigException;
  }

  /** A check that may throw {@link IllegalArgumentException} with the problem alone. */
  interface Check<T> {
    T get() throws ConfigException;
  }

  private final Path file;

  NodeReader(Path file) {
    this.file = file;
  }

  /** {@code FILE:LINE: key: problem}, the line being the node's. */
  ConfigException error(Node node, String key, String problem) {
    return at(node, key + ": " + problem);
  }

  /** {@code FILE:LINE: text}, the line being the node's. */
  ConfigException at(Node node, String text) {
    int line = node.getStartMark().getLine() + 1;
    return new ConfigException(file + ":" + line + ": " + text);
  }

  /** Runs a check that throws IAE and reports it at {@code node}. */
  <T> T convert(Node node, String key, Check<T> check) throws ConfigException {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      throw error(node, key, e.getMessage());
    }
  }

  /**
   * The mapping at {@code node}, its keys checked against {@code known}; see {@link YamlSection}.
   */
  YamlSection section(Node node, String path, List<String> known) throws ConfigException {
    return YamlSection.read(this, node, path, known);
  }

  String string(Node node, String key) throws ConfigException {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw error(node, key, "must be a single value, got " + describe(node));
  }

  /** A whole number; {@code 100_000} is accepted. */
  long integer(Node node, String key) throws ConfigException {
    String text = string(node, key).strip().replace("_", "");
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error(node, key, "must be a whole number, got \"" + string(node, key) + "\"");
    }
  }

  /** true/yes/on or false/no/off, in any case. */
  boolean bool(Node node, String key) throws ConfigException {
    if (node instanceof ScalarNode scalar) {
      switch (scalar.getValue().strip().toLowerCase(Locale.ROOT)) {
        case "true":
        case "yes":
        case "on":
          return true;
        case "false":
        case "no":
        case "off":
          return false;
        default:
          break;
      }
    }
    throw error(node, key, "must be true or false, got " + describe(node));
  }

  /** A duration in {@link DurationParser}'s forms: 250ms, 2s, 5m, 1h, 1d. */
  Duration duration(Node node, String key) throws ConfigException {
    String text = string(node, key);
    return convert(node, key, () -> DurationParser.parse(text));
  }

  /** A list of strings, each checked by {@code check} (which may throw IAE). */
  List<String> strings(Node node, String key, UnaryOperator<String> check) throws ConfigException {
    if (!(node instanceof SequenceNode seq)) {
      throw error(node, key, "must be a list such as [\"a\", \"b\"], got " + describe(node));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String itemKey = key + "[" + i + "]";
      if (isNull(item)) {
        throw error(item, itemKey, "empty entry");
      }
      String value = string(item, itemKey);
      out.add(convert(item, itemKey, () -> check.apply(value)));
    }
    return out;
  }

  /** A value left empty ({@code key:}) or written {@code ~}. */
  static boolean isNull(Node n) {
    return n instanceof ScalarNode && n.getTag().equals(Tag.NULL);
  }

  /** What a node is, for messages: a list, a mapping, nothing, or its text in quotes. */
  static String describe(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (isNull(node)) {
      return "nothing";
    }
    return "\"" + ((ScalarNode) node).getValue() + "\"";
  }
}

package io.watchsync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One value of the configuration file with where it came from, so every error can name the file,
 * the line and the key: {@code /etc/watchsync/watchsync.yml:4: targets[0].workers: …}.
 */
final class YamlValue {
  private final Path file;
  private final String key;
  private final Node node;

  YamlValue(Path file, String key, Node node) {
    this.file = file;
    this.key = key;
    this.node = node;
  }

  int line() {
    return node.getStartMark().getLine() + 1;
  }

  String key() {
    return key;
  }

  ConfigException error(String problem) {
    return new ConfigException(
        file + ":" + line() + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
  }

  boolean isNull() {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  /** The keys of a mapping, each checked against {@code known}; duplicates are errors. */
  Map<String, YamlValue> mapping(Set<String> known) throws ConfigException {
    if (!(node instanceof MappingNode m)) {
      throw error("must be a mapping of keys to values, got " + describe());
    }
    Map<String, YamlValue> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      Node k = t.getKeyNode();
      String name = k instanceof ScalarNode s ? s.getValue() : "?";
      String childKey = key.isEmpty() ? name : key + "." + name;
      YamlValue child = new YamlValue(file, childKey, t.getValueNode());
      if (!known.contains(name)) {
        throw new YamlValue(file, childKey, k)
            .error(
                "unknown key \""
                    + name
                    + "\" (known: "
                    + String.join(", ", new TreeSet<>(known))
                    + ")");
      }
      if (out.containsKey(name)) {
        throw new YamlValue(file, childKey, k).error("given twice");
      }
      out.put(name, child);
    }
    return out;
  }

  List<YamlValue> list() throws ConfigException {
    if (isNull()) {
      return List.of();
    }
    if (!(node instanceof SequenceNode seq)) {
      throw error("must be a list, got " + describe());
    }
    List<YamlValue> out = new ArrayList<>();
    int i = 0;
    for (Node n : seq.getValue()) {
      out.add(new YamlValue(file, key + "[" + i++ + "]", n));
    }
    return out;
  }

  String string() throws ConfigException {
    if (!(node instanceof ScalarNode s) || isNull()) {
      throw error("must be a single value, got " + describe());
    }
    if (s.getValue().isEmpty()) {
      throw error("must not be empty");
    }
    return s.getValue();
  }

  List<String> strings() throws ConfigException {
    List<String> out = new ArrayList<>();
    for (YamlValue v : list()) {
      out.add(v.string());
    }
    return out;
  }

  boolean bool() throws ConfigException {
    String v = string();
    return switch (v) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("must be true or false, got \"" + v + "\"");
    };
  }

  int integer(int min, int max) throws ConfigException {
    String v = string();
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw error("must be a whole number, got \"" + v + "\"");
    }
    if (n < min || n > max) {
      throw error("must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  Duration duration(Duration min, Duration max) throws ConfigException {
    Duration d;
    try {
      d = DurationParser.parse(string());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw error(
          "must be between "
              + DurationParser.format(min)
              + " and "
              + DurationParser.format(max)
              + ", got "
              + DurationParser.format(d));
    }
    return d;
  }

  Path absolutePath() throws ConfigException {
    String v = string();
    if (!v.startsWith("/")) {
      throw error("must be an absolute path, got \"" + v + "\"");
    }
    return Path.of(v).normalize();
  }

  private String describe() {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return isNull() ? "nothing" : "\"" + ((ScalarNode) node).getValue() + "\"";
  }
}

package io.watchsync.agent.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of the file, its keys already checked: an unknown key (with a "did you mean"), a
 * duplicate key or a password key is an error. YAML merge keys ({@code <<: *defaults}) are applied,
 * keys written in the mapping winning over merged ones. Values are then read by key, a key left
 * empty counting as absent.
 */
final class YamlSection {
  private final NodeReader nodes;
  private final String prefix;
  private final MappingNode node;
  private final Map<String, Node> keys = new HashMap<>();
  private final Map<String, Node> values = new HashMap<>();

  private YamlSection(NodeReader nodes, String prefix, MappingNode node) {
    this.nodes = nodes;
    this.prefix = prefix;
    this.node = node;
  }

  static YamlSection read(NodeReader nodes, Node node, String path, List<String> known)
      throws ConfigException {
    if (!(node instanceof MappingNode mapping)) {
      String what = path.isEmpty() ? "the file" : path + ":";
      throw nodes.at(
          node,
          what + " must be a mapping of settings (key: value), got " + NodeReader.describe(node));
    }
    YamlSection s = new YamlSection(nodes, path, mapping);
    List<MappingNode> merged = new ArrayList<>();
    for (var tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)) {
        merged.addAll(s.mergeSources(tuple.getValueNode(), s.path("<<")));
        continue;
      }
      String key = s.checkedKey(keyNode, known);
      Node first = s.keys.putIfAbsent(key, keyNode);
      if (first != null) {
        throw nodes.error(
            keyNode,
            s.path(key),
            "duplicate key (already set on line " + (first.getStartMark().getLine() + 1) + ")");
      }
      s.values.put(key, tuple.getValueNode());
    }
    // YAML merge keys ("<<: *defaults"): keys written here win, then earlier sources.
    for (MappingNode source : merged) {
      for (var tuple : source.getValue()) {
        if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
          continue; // merge chains are left to the source mapping's own reading
        }
        String key = s.checkedKey(tuple.getKeyNode(), known);
        if (s.keys.putIfAbsent(key, tuple.getKeyNode()) == null) {
          s.values.put(key, tuple.getValueNode());
        }
      }
    }
    return s;
  }

  /** The mapping itself, to report a problem with the whole section. */
  Node node() {
    return node;
  }

  /** The key's path in the file: {@code targets[0].url}. */
  String path(String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  /** The value node, or null when the key is absent or left empty ({@code key:} / {@code ~}). */
  Node get(String key) {
    Node n = values.get(key);
    return n == null || NodeReader.isNull(n) ? null : n;
  }

  <T> T optional(String key, NodeReader.Value<T> reader, T fallback) throws ConfigException {
    Node n = get(key);
    return n == null ? fallback : reader.read(n, path(key));
  }

  <T> T required(String key, NodeReader.Value<T> reader, String what) throws ConfigException {
    Node n = get(key);
    if (n == null) {
      Node at = values.containsKey(key) ? keys.get(key) : node;
      throw nodes.error(at, path(key), "required (" + what + ")");
    }
    return reader.read(n, path(key));
  }

  private String checkedKey(Node keyNode, List<String> known) throws ConfigException {
    if (!(keyNode instanceof ScalarNode scalar)) {
      throw nodes.error(keyNode, prefix.isEmpty() ? "?" : prefix, "keys must be plain names");
    }
    String key = scalar.getValue();
    String keyPath = path(key);
    if (key.equals("password") || key.equals("rsync_password")) {
      throw nodes.error(
          keyNode,
          keyPath,
          "passwords are not accepted in the configuration; put the password in a file"
              + " readable only by root and name it with password_file");
    }
    if (!known.contains(key)) {
      throw nodes.error(keyNode, keyPath, DidYouMean.unknownKey(key, known));
    }
    return key;
  }

  private List<MappingNode> mergeSources(Node value, String key) throws ConfigException {
    if (value instanceof MappingNode m) {
      return List.of(m);
    }
    if (value instanceof SequenceNode seq) {
      List<MappingNode> out = new ArrayList<>();
      for (Node item : seq.getValue()) {
        if (!(item instanceof MappingNode m)) {
          throw nodes.error(item, key, "can merge only mappings, got " + NodeReader.describe(item));
        }
        out.add(m);
      }
      return out;
    }
    throw nodes.error(value, key, "can merge only mappings, got " + NodeReader.describe(value));
  }
}

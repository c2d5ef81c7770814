package io.watchsync.agent.importer;

import java.util.List;

/**
 * The few YAML shapes watchsync.yml needs, written by hand so the file reads like the annotated
 * example (comments first, keys in the README's order) rather than like a serializer's dump.
 */
final class YamlText {
  private final StringBuilder out = new StringBuilder();

  void comment(String text) {
    String oneLine = text.replaceAll("[\\r\\n]+", " ");
    out.append(oneLine.isEmpty() ? "#" : "# " + oneLine).append('\n');
  }

  void blank() {
    out.append('\n');
  }

  void scalar(String key, String value) {
    out.append(key).append(": ").append(value).append('\n');
  }

  void list(String key, List<String> values) {
    out.append(key).append(":\n");
    values.forEach(v -> out.append("  - ").append(quote(v)).append('\n'));
  }

  void section(String key) {
    out.append(key).append(":\n");
  }

  void child(String key, String value) {
    out.append("  ").append(key).append(": ").append(value).append('\n');
  }

  void childList(String key, List<String> values) {
    out.append("  ").append(key).append(":\n");
    values.forEach(v -> out.append("    - ").append(quote(v)).append('\n'));
  }

  /** Starts a list item of mappings with its first key. */
  void item(String key, String value) {
    out.append("  - ").append(key).append(": ").append(value).append('\n');
  }

  void itemField(String key, String value) {
    out.append("    ").append(key).append(": ").append(value).append('\n');
  }

  /** A double-quoted YAML string: any text, read back exactly. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

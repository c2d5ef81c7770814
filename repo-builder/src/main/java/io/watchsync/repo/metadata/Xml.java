package io.watchsync.repo.metadata;

/** XML escaping as libxml2 writes it (the escapes createrepo_c's files carry). */
final class Xml {
  private Xml() {}

  static void text(StringBuilder out, String s) {
    if (s == null) {
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }

  static void attribute(StringBuilder out, String name, String value) {
    out.append(' ').append(name).append("=\"");
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= 0x80) {
          // libxml2 writes attributes of a node outside a document as ASCII with references.
          int codePoint = value.codePointAt(i);
          out.append("&#x").append(Integer.toHexString(codePoint).toUpperCase()).append(';');
          i += Character.charCount(codePoint) - 1;
          continue;
        }
        switch (c) {
          case '<' -> out.append("&lt;");
          case '>' -> out.append("&gt;");
          case '&' -> out.append("&amp;");
          case '"' -> out.append("&quot;");
          case '\n' -> out.append("&#10;");
          case '\r' -> out.append("&#13;");
          case '\t' -> out.append("&#9;");
          default -> out.append(c);
        }
      }
    }
    out.append('"');
  }

  /** {@code <name>text</name>} on its own line, indented; empty text gives an empty pair. */
  static void element(StringBuilder out, String indent, String name, String text) {
    out.append(indent).append('<').append(name).append('>');
    text(out, text);
    out.append("</").append(name).append(">\n");
  }
}

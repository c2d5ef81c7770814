package io.watchsync.repo.cli;

/**
 * A message made fit for one line: a file name can hold a newline or other control characters,
 * which would split the line or move the cursor. They are shown as C escapes ({@code \n}, {@code
 * \t}, {@code \r}, {@code \x1b}), and a backslash as {@code \\} so the two cannot be confused.
 */
final class OneLine {
  private OneLine() {}

  static String of(String message) {
    StringBuilder s = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      String escape =
          switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\\' -> "\\\\";
            default -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : null;
          };
      if (escape != null && s == null) {
        s = new StringBuilder(message.length() + 8).append(message, 0, i);
      }
      if (s != null) {
        if (escape != null) {
          s.append(escape);
        } else {
          s.append(c);
        }
      }
    }
    return s == null ? message : s.toString();
  }
}

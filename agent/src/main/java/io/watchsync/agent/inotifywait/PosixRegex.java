package io.watchsync.agent.inotifywait;

import java.util.Map;

/**
 * POSIX extended regular expressions as Java regular expressions. The two dialects agree on what
 * exclude patterns use ({@code \.swp$}, {@code ^/data/tmp/}, {@code (a|b)}, {@code [0-9]+}, {@code
 * .*~$}); the POSIX bracket classes such as {@code [[:digit:]]}, which Java spells differently, are
 * translated.
 */
final class PosixRegex {
  private static final Map<String, String> CLASSES =
      Map.ofEntries(
          Map.entry("[:alnum:]", "\\p{Alnum}"),
          Map.entry("[:alpha:]", "\\p{Alpha}"),
          Map.entry("[:blank:]", "\\p{Blank}"),
          Map.entry("[:cntrl:]", "\\p{Cntrl}"),
          Map.entry("[:digit:]", "\\p{Digit}"),
          Map.entry("[:graph:]", "\\p{Graph}"),
          Map.entry("[:lower:]", "\\p{Lower}"),
          Map.entry("[:print:]", "\\p{Print}"),
          Map.entry("[:punct:]", "\\p{Punct}"),
          Map.entry("[:space:]", "\\p{Space}"),
          Map.entry("[:upper:]", "\\p{Upper}"),
          Map.entry("[:xdigit:]", "\\p{XDigit}"));

  private PosixRegex() {}

  static String toJava(String posix) {
    String java = posix;
    for (Map.Entry<String, String> c : CLASSES.entrySet()) {
      java = java.replace(c.getKey(), c.getValue());
    }
    return java;
  }
}

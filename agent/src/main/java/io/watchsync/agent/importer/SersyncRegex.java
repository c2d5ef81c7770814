package io.watchsync.agent.importer;

import java.util.Optional;

/**
 * Translates sersync's exclude expressions (regular expressions) into rsync exclude patterns, where
 * the translation is exact.
 *
 * <p>sersync full-matches each expression against the path of an event relative to the watched
 * directory, and at start-up skips watching a directory whose relative path plus {@code /} matches.
 * Two shapes have an exact rsync equivalent:
 *
 * <ul>
 *   <li>{@code (.*)SUFFIX} (or {@code .*SUFFIX}), SUFFIX literal without {@code /}: every name
 *       ending in SUFFIX, at any depth, is {@code *SUFFIX}.
 *   <li>{@code ^NAME/*}, NAME literal without {@code /}: the entry NAME at the top of the tree,
 *       never watched and so never replicated with anything below it, is {@code /NAME}.
 * </ul>
 *
 * Anything else (classes, alternatives, anchors inside, paths with {@code /}) is reported as not
 * carried over rather than guessed.
 */
final class SersyncRegex {
  private static final String REGEX_META = ".[]{}()*+?^$|\\";
  private static final String GLOB_META = "*?[\\";

  private SersyncRegex() {}

  /** The rsync pattern excluding exactly what {@code expression} excluded, if there is one. */
  static Optional<String> toRsyncPattern(String expression) {
    String e = expression;
    if (e.startsWith("^")) {
      e = e.substring(1);
    }
    if (e.endsWith("$") && !e.endsWith("\\$")) {
      e = e.substring(0, e.length() - 1);
    }
    for (String anyPrefix : new String[] {"(.*)", ".*"}) {
      if (e.startsWith(anyPrefix)) {
        return literal(e.substring(anyPrefix.length())).map(suffix -> "*" + suffix);
      }
    }
    if (e.endsWith("/*")) {
      return literal(e.substring(0, e.length() - 2)).map(name -> "/" + name);
    }
    return Optional.empty();
  }

  /**
   * The text a regular expression matches when it is a plain literal (escapes such as {@code \.}
   * allowed), without {@code /} and without characters rsync would read as wildcards.
   */
  private static Optional<String> literal(String regex) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (i + 1 >= regex.length() || Character.isLetterOrDigit(regex.charAt(i + 1))) {
          return Optional.empty(); // a trailing '\' or a class such as \d, \w, \s
        }
        c = regex.charAt(++i);
      } else if (REGEX_META.indexOf(c) >= 0) {
        return Optional.empty();
      }
      if (c == '/' || GLOB_META.indexOf(c) >= 0 || Character.isISOControl(c)) {
        return Optional.empty();
      }
      out.append(c);
    }
    return out.length() == 0 ? Optional.empty() : Optional.of(out.toString());
  }
}

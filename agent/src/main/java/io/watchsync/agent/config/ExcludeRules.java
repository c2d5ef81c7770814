package io.watchsync.agent.config;

import io.watchsync.agent.fs.PathFilter;
import io.watchsync.agent.fs.RelPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Exclude patterns with rsync's meaning (man rsync, "PATTERN MATCHING RULES"), so the watcher skips
 * exactly what the rsync runs skip:
 *
 * <ul>
 *   <li>a pattern with no {@code /} (a trailing one aside) and no {@code **} matches the last
 *       component of a path, at any depth;
 *   <li>a leading {@code /} anchors the pattern at the root of the tree; other patterns with a
 *       {@code /} or {@code **} match the end of a path, at a component boundary;
 *   <li>a trailing {@code /} matches directories only; {@code dir/***} matches the directory and
 *       everything in it;
 *   <li>{@code *} and {@code ?} stop at {@code /}, {@code **} does not, {@code [...]} is a
 *       character class ({@code [!...]} or {@code [^...]} negated), {@code \} escapes.
 * </ul>
 *
 * rsync never descends into an excluded directory, so a path is excluded when it or any directory
 * above it matches. Names are matched as bytes (ISO-8859-1 maps each byte to one char).
 */
public final class ExcludeRules implements PathFilter {
  private final List<String> patterns;
  private final List<Rule> rules;

  private record Rule(Pattern regex, boolean directoryOnly, boolean lastComponentOnly) {
    boolean matches(String path, String lastComponent, boolean directory) {
      if (directoryOnly && !directory) {
        return false;
      }
      return regex.matcher(lastComponentOnly ? lastComponent : path).matches();
    }
  }

  private ExcludeRules(List<String> patterns, List<Rule> rules) {
    this.patterns = List.copyOf(patterns);
    this.rules = rules;
  }

  /**
   * Compiles {@code patterns}.
   *
   * @throws IllegalArgumentException naming a pattern that cannot work (empty, or a bad class)
   */
  public static ExcludeRules of(List<String> patterns) {
    List<Rule> rules = new ArrayList<>();
    for (String p : patterns) {
      rules.add(compile(p));
    }
    return new ExcludeRules(patterns, rules);
  }

  /** The patterns as given. */
  public List<String> patterns() {
    return patterns;
  }

  /** The same rules for rsync: {@code --exclude=PATTERN} for each, in order. */
  public List<String> rsyncArgs() {
    List<String> args = new ArrayList<>();
    for (String p : patterns) {
      args.add("--exclude=" + p);
    }
    return args;
  }

  @Override
  public boolean excludes(RelPath path, boolean directory) {
    if (rules.isEmpty() || path.isRoot()) {
      return false;
    }
    String full = new String(path.bytes(), StandardCharsets.ISO_8859_1);
    int slash = full.indexOf('/');
    while (slash >= 0) {
      if (matchesAny(full.substring(0, slash), true)) {
        return true;
      }
      slash = full.indexOf('/', slash + 1);
    }
    return matchesAny(full, directory);
  }

  private boolean matchesAny(String path, boolean directory) {
    String last = path.substring(path.lastIndexOf('/') + 1);
    for (Rule r : rules) {
      if (r.matches(path, last, directory)) {
        return true;
      }
    }
    return false;
  }

  private static Rule compile(String pattern) {
    if (pattern == null || pattern.isEmpty() || pattern.equals("/")) {
      throw new IllegalArgumentException("empty exclude pattern");
    }
    String p = new String(pattern.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    boolean directoryOnly = false;
    boolean andContents = false;
    if (p.endsWith("/***")) {
      andContents = true;
      p = p.substring(0, p.length() - 4);
    } else if (p.endsWith("/") && !p.endsWith("\\/")) {
      directoryOnly = true;
      p = p.substring(0, p.length() - 1);
    }
    boolean anchored = p.startsWith("/");
    if (anchored) {
      p = p.substring(1);
    }
    if (p.isEmpty()) {
      throw new IllegalArgumentException("exclude pattern \"" + pattern + "\" matches nothing");
    }
    boolean wholePath = anchored || andContents || p.contains("/") || p.contains("**");
    StringBuilder regex = new StringBuilder();
    if (wholePath && !anchored) {
      regex.append("(?:.*/)?");
    }
    try {
      translate(p, regex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "exclude pattern \"" + pattern + "\": " + e.getMessage(), e);
    }
    if (andContents) {
      // dir/*** is the directory itself and everything below it: directories excluded take their
      // contents with them, so matching the directory is enough.
      directoryOnly = false;
    }
    try {
      return new Rule(Pattern.compile(regex.toString(), Pattern.DOTALL), directoryOnly, !wholePath);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "exclude pattern \"" + pattern + "\" cannot be used: " + e.getDescription(), e);
    }
  }

  /** rsync wildcards to a Java regex. */
  private static void translate(String p, StringBuilder out) {
    boolean wild = p.matches("(?s).*[*?\\[].*");
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\' && wild && i + 1 < p.length()) {
        out.append(Pattern.quote(String.valueOf(p.charAt(i + 1))));
        i += 2;
      } else if (c == '*') {
        if (i + 1 < p.length() && p.charAt(i + 1) == '*') {
          out.append(".*");
          i += 2;
          while (i < p.length() && p.charAt(i) == '*') {
            i++;
          }
        } else {
          out.append("[^/]*");
          i++;
        }
      } else if (c == '?') {
        out.append("[^/]");
        i++;
      } else if (c == '[') {
        i = characterClass(p, i, out);
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
  }

  private static int characterClass(String p, int start, StringBuilder out) {
    int i = start + 1;
    StringBuilder cls = new StringBuilder("[");
    if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
      cls.append('^');
      i++;
    }
    boolean first = true;
    while (i < p.length() && (first || p.charAt(i) != ']')) {
      char c = p.charAt(i);
      if (c == '[' && p.startsWith("[:", i)) {
        int end = p.indexOf(":]", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated [: class");
        }
        cls.append(posixClass(p.substring(i + 2, end)));
        i = end + 2;
      } else if (c == '\\' && i + 1 < p.length()) {
        cls.append('\\').append(p.charAt(i + 1));
        i += 2;
      } else {
        if (c == '[' || c == '&' || c == '^' || c == ']' || c == '\\') {
          cls.append('\\');
        }
        cls.append(c);
        i++;
      }
      first = false;
    }
    if (i >= p.length()) {
      throw new IllegalArgumentException("unterminated [ character class");
    }
    cls.append(']');
    out.append(cls);
    return i + 1;
  }

  private static String posixClass(String name) {
    return switch (name) {
      case "alpha" -> "\\p{Alpha}";
      case "digit" -> "\\p{Digit}";
      case "alnum" -> "\\p{Alnum}";
      case "upper" -> "\\p{Upper}";
      case "lower" -> "\\p{Lower}";
      case "space" -> "\\s";
      case "punct" -> "\\p{Punct}";
      case "xdigit" -> "\\p{XDigit}";
      case "blank" -> " \\t";
      case "cntrl" -> "\\p{Cntrl}";
      case "print" -> "\\p{Print}";
      case "graph" -> "\\p{Graph}";
      default -> throw new IllegalArgumentException("unknown character class [:" + name + ":]");
    };
  }

  @Override
  public String toString() {
    return "ExcludeRules" + patterns;
  }
}

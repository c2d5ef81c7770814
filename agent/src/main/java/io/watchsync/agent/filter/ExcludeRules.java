package io.watchsync.agent.filter;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.watchsync.agent.fs.PathFilter;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.generation.TakeoverQuarantine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exclude patterns with rsync's meaning ({@code man rsync}, "INCLUDE/EXCLUDE PATTERN RULES"), so
 * the watcher skips exactly what {@code rsync --exclude=…} skips.
 *
 * <p>A pattern without a {@code /} (other than a trailing one) matches the last name at any depth;
 * a leading {@code /} anchors it at the top of the tree; a trailing {@code /} matches directories
 * only; a pattern with an inner {@code /} matches that many trailing path elements, or anywhere
 * after a {@code /} when it holds {@code **}. rsync never descends into an excluded directory, so a
 * path is excluded when it or any ancestor directory matches. Matching works on raw name bytes; the
 * pattern is taken as its UTF-8 bytes, which is what rsync receives on its command line.
 */
public final class ExcludeRules implements PathFilter {
  private final List<String> patterns;
  private final List<Rule> rules;

  private ExcludeRules(List<String> patterns, List<Rule> rules) {
    this.patterns = patterns;
    this.rules = rules;
  }

  /**
   * Compiles {@code patterns} in order. Throws {@link IllegalArgumentException} naming the pattern
   * when one is empty, is an include rule ({@code "+ …"}, {@code "!"}), or could never match.
   */
  public static ExcludeRules of(List<String> patterns) {
    List<Rule> rules = new ArrayList<>(patterns.size());
    for (String pattern : patterns) {
      rules.add(Rule.compile(pattern));
    }
    return new ExcludeRules(List.copyOf(patterns), List.copyOf(rules));
  }

  /**
   * The rules the agent applies to a replicated tree: {@code patterns} and the tree's own
   * directories that are never replicated, watched or deleted (the takeover quarantine, see {@link
   * TakeoverQuarantine}).
   */
  public static ExcludeRules forTree(List<String> patterns) {
    return of(TakeoverQuarantine.withExcluded(patterns));
  }

  /** The patterns as given. */
  public List<String> patterns() {
    return patterns;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  @Override
  public boolean excludes(RelPath path, boolean directory) {
    if (rules.isEmpty() || path.isRoot()) {
      return false;
    }
    byte[] bytes = path.bytes();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '/' && matchesAny(Arrays.copyOf(bytes, i), true)) {
        return true;
      }
    }
    return matchesAny(bytes, directory);
  }

  /** True when a rule matches this path itself (its ancestors are not looked at). */
  public boolean matchesItself(RelPath path, boolean directory) {
    return !path.isRoot() && matchesAny(path.bytes(), directory);
  }

  private boolean matchesAny(byte[] path, boolean directory) {
    for (Rule rule : rules) {
      if (rule.matches(path, directory)) {
        return true;
      }
    }
    return false;
  }

  /** {@code --exclude=PATTERN} for each pattern, in order, for rsync's command line. */
  public List<String> rsyncArgs() {
    List<String> args = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      args.add("--exclude=" + p);
    }
    return List.copyOf(args);
  }

  @Override
  public String toString() {
    return "ExcludeRules" + patterns;
  }

  /** One compiled pattern, with the flags rsync's {@code add_rule} derives from its text. */
  private static final class Rule {
    private final byte[] pattern; // without the leading '/' of an anchored rule
    private final boolean anchored;
    private final boolean directoryOnly;
    private final boolean wild;
    private final boolean wild2;
    private final boolean wild2Prefix;
    private final boolean wild3Suffix;
    private final int slashCount; // counts the anchoring '/', as rsync does

    private Rule(String text) {
      byte[] p = text.getBytes(UTF_8);
      int len = p.length;
      directoryOnly = len > 1 && p[len - 1] == '/';
      if (directoryOnly) {
        len--;
      }
      byte[] full = Arrays.copyOf(p, len);
      int slashes = 0;
      for (byte b : full) {
        if (b == '/') {
          slashes++;
        }
      }
      slashCount = slashes;
      wild = indexOfAny(full, "*[?") >= 0;
      int starStar = wild ? indexOf(full, "**") : -1;
      wild2 = starStar >= 0;
      wild2Prefix = starStar == 0;
      wild3Suffix =
          wild2 && len >= 3 && full[len - 1] == '*' && full[len - 2] == '*' && full[len - 3] == '*';
      anchored = len > 0 && full[0] == '/';
      pattern = anchored ? Arrays.copyOfRange(full, 1, len) : full;
    }

    static Rule compile(String text) {
      if (text == null || text.isEmpty()) {
        throw new IllegalArgumentException("empty exclude pattern");
      }
      if (text.indexOf('\0') >= 0 || text.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(
            "exclude pattern \"" + printable(text) + "\" contains a NUL or newline");
      }
      // rsync reads "+ " and "- " at the start of --exclude as rule prefixes, and "!" as "clear".
      if (text.startsWith("+ ") || text.equals("!")) {
        throw new IllegalArgumentException(
            "exclude pattern \""
                + text
                + "\" would be read by rsync as an include or clear rule; only excludes are"
                + " supported");
      }
      String body = text.startsWith("- ") ? text.substring(2) : text;
      if (body.isEmpty() || body.equals("/")) {
        throw new IllegalArgumentException(
            "exclude pattern \"" + text + "\" matches nothing; name a file or directory");
      }
      Rule rule = new Rule(body);
      if (rule.wild) {
        String problem = Wildmatch.syntaxProblem(rule.pattern);
        if (problem != null) {
          throw new IllegalArgumentException(
              "exclude pattern \"" + text + "\" " + problem + ", so rsync would never match it");
        }
      }
      return rule;
    }

    /** rsync's {@code rule_matches} for an exclude rule, {@code path} relative to the root. */
    boolean matches(byte[] path, boolean directory) {
      if (directoryOnly && !directory) {
        return false;
      }
      byte[] name = path;
      if (slashCount == 0 && !wild2) {
        name = lastElement(path);
      }
      if (wild) {
        byte[] text = name;
        if (wild2Prefix) {
          text = concat(new byte[] {'/'}, text); // lets "**/" match at the top
        }
        if (directory && wild3Suffix) {
          text = concat(text, new byte[] {'/'}); // lets "dir/***" match dir itself
        }
        int where;
        if (!anchored && slashCount > 0 && !wild2) {
          where = slashCount + 1;
        } else if (!anchored && !wild2Prefix && wild2) {
          where = -1;
        } else {
          where = 0;
        }
        return Wildmatch.matchArray(pattern, text, where);
      }
      if (anchored) {
        return Arrays.equals(name, pattern);
      }
      int l1 = name.length;
      int l2 = pattern.length;
      return l2 <= l1
          && Arrays.equals(name, l1 - l2, l1, pattern, 0, l2)
          && (l1 == l2 || name[l1 - l2 - 1] == '/');
    }

    private static byte[] lastElement(byte[] path) {
      for (int i = path.length - 1; i >= 0; i--) {
        if (path[i] == '/') {
          return Arrays.copyOfRange(path, i + 1, path.length);
        }
      }
      return path;
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    private static int indexOfAny(byte[] b, String chars) {
      for (int i = 0; i < b.length; i++) {
        if (chars.indexOf(b[i]) >= 0) {
          return i;
        }
      }
      return -1;
    }

    private static int indexOf(byte[] b, String s) {
      outer:
      for (int i = 0; i + s.length() <= b.length; i++) {
        for (int j = 0; j < s.length(); j++) {
          if (b[i + j] != s.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private static String printable(String s) {
      return s.replace("\0", "\\0").replace("\n", "\\n");
    }
  }
}

package io.watchsync.repo.index;

/**
 * An {@code --excludes} pattern matched as createrepo_c matches it (GLib's GPatternSpec): {@code *}
 * stands for any run of characters, {@code /} included, {@code ?} for any one character, and
 * everything else, brackets and backslashes too, for itself. The whole name must match.
 */
final class ExcludeGlob {
  private final int[] pattern;

  ExcludeGlob(String glob) {
    this.pattern = glob.codePoints().toArray();
  }

  boolean matches(String text) {
    int[] s = text.codePoints().toArray();
    int p = 0;
    int i = 0;
    int starP = -1;
    int starI = -1;
    while (i < s.length) {
      if (p < pattern.length && pattern[p] == '*') {
        starP = p++;
        starI = i;
      } else if (p < pattern.length && (pattern[p] == '?' || pattern[p] == s[i])) {
        p++;
        i++;
      } else if (starP >= 0) {
        p = starP + 1;
        i = ++starI;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] == '*') {
      p++;
    }
    return p == pattern.length;
  }
}

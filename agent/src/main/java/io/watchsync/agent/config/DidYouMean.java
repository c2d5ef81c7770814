package io.watchsync.agent.config;

import java.util.List;

/** The message for a key nobody knows, suggesting the known key closest to a typo. */
final class DidYouMean {
  /** Keys this many edits away or more are not suggested: they are no longer typos. */
  private static final int TOO_FAR = 3;

  private DidYouMean() {}

  /**
   * {@code unknown key "windw", did you mean "window"? (known: window, max_files)}; without the
   * suggestion when no known key is close.
   */
  static String unknownKey(String key, List<String> known) {
    String suggestion = null;
    int best = TOO_FAR;
    for (String k : known) {
      int d = distance(key, k);
      if (d < best) {
        best = d;
        suggestion = k;
      }
    }
    return "unknown key \""
        + key
        + "\""
        + (suggestion == null ? "" : ", did you mean \"" + suggestion + "\"?")
        + " (known: "
        + String.join(", ", known)
        + ")";
  }

  /** Levenshtein distance: the fewest insertions, deletions and substitutions from a to b. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

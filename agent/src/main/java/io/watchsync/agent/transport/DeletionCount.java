package io.watchsync.agent.transport;

/**
 * Reads the output of a full sync's dry run ({@code --dry-run --stats} with {@link
 * RsyncCommand#OUT_FORMAT}): how many entries it would delete on the target, and how many the
 * target holds now (the source's entries, less those it would create, plus those it would delete).
 */
final class DeletionCount {
  private static final String FILES = "Number of files:";

  private long deletions;
  private long created;
  private long sourceEntries = -1;

  /** Takes one output line (called from the reader thread). */
  synchronized void accept(String line) {
    if (line.startsWith("*deleting ")) {
      deletions++;
    } else if (line.length() > 11 && line.charAt(11) == ' ' && isCreation(line)) {
      created++;
    } else if (line.startsWith(FILES)) {
      sourceEntries = leadingNumber(line.substring(FILES.length()));
    }
  }

  /** {@code >f+++++++++}, {@code cd+++++++++}: an item the target does not have yet. */
  private static boolean isCreation(String line) {
    for (int i = 2; i < 11; i++) {
      if (line.charAt(i) != '+') {
        return false;
      }
    }
    return true;
  }

  /** The number at the start of {@code 1,021 (reg: 1,000, dir: 21)}, separators dropped. */
  static long leadingNumber(String text) {
    String t = text.strip();
    long n = 0;
    boolean any = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        n = n * 10 + (c - '0');
        any = true;
      } else if (c != ',' && c != '.' && c != '\'') {
        break;
      }
    }
    return any ? n : -1;
  }

  synchronized long deletions() {
    return deletions;
  }

  /**
   * The entries on the target now; when rsync printed no statistics, the deletions alone (so a
   * percentage limit counts them as the whole target: the safe side).
   */
  synchronized long targetEntries() {
    if (sourceEntries < 0) {
      return deletions;
    }
    return Math.max(deletions, sourceEntries - created + deletions);
  }
}

package io.watchsync.agent.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the output of a full sync that keeps what it replaces ({@link
 * RsyncCommand#fullSyncKeepingReplaced}, with {@link RsyncCommand#OUT_FORMAT}): how many entries it
 * deleted ({@code *deleting}) or overwrote (a file or link sent over an existing one) on the
 * target, each of which rsync moved into the backup directory, and the first few names for the log.
 */
final class ReplacedCount {
  static final int NAMED = 5;

  private long count;
  private final List<String> names = new ArrayList<>();

  /** Takes one output line (called from the reader thread). */
  synchronized void accept(String line) {
    if (line.length() < 14 || line.charAt(11) != ' ') {
      return;
    }
    boolean deleted = line.startsWith("*deleting");
    boolean overwritten =
        (line.startsWith(">f") || line.startsWith("cL")) && !line.startsWith("+++++++++", 2);
    if (!deleted && !overwritten) {
      return;
    }
    count++;
    int space = line.indexOf(' ', 12);
    if (names.size() < NAMED && space > 0) {
      names.add(Itemized.unescape(line.substring(space + 1)));
    }
  }

  synchronized long count() {
    return count;
  }

  synchronized List<String> firstNames() {
    return List.copyOf(names);
  }
}

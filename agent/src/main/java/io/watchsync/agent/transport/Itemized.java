package io.watchsync.agent.transport;

import io.watchsync.agent.fs.RelPath;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects rsync's {@code --out-format=%i %b %n%L} lines: counts the items changed on the target
 * and the bytes sent, and keeps readable names for the log. rsync (under {@code LC_ALL=C}) writes
 * unprintable name bytes as {@code \#ooo}; they are decoded and shown like {@link RelPath} shows
 * names, so a UTF-8 name reads as itself and a stray byte as {@code \xNN}.
 */
final class Itemized {
  /** Names kept for the log; a full sync of millions of files must not fill the heap. */
  static final int MAX_KEPT = 10_000;

  private long files;
  private long bytes;
  private long lines;
  private final List<String> kept = new ArrayList<>();

  /** Takes one output line (called from the reader thread). */
  synchronized void accept(String line) {
    lines++;
    String entry = parse(line);
    if (kept.size() < MAX_KEPT) {
      kept.add(entry);
    }
  }

  private String parse(String line) {
    if (line.length() < 14 || line.charAt(11) != ' ') {
      return unescape(line);
    }
    String change = line.substring(0, 11).stripTrailing();
    int space = line.indexOf(' ', 12);
    if (space < 0) {
      return unescape(line);
    }
    long sent;
    try {
      sent = Long.parseLong(line.substring(12, space));
    } catch (NumberFormatException e) {
      return unescape(line);
    }
    char kind = change.charAt(0);
    // '<' '>' sent a file, 'c' created a directory or link, 'h' a hard link, '*' deleted;
    // '.' only touched attributes.
    if (kind == '<' || kind == '>' || kind == 'c' || kind == 'h' || kind == '*') {
      files++;
    }
    bytes += sent;
    return change + " " + unescape(line.substring(space + 1));
  }

  /** Turns rsync's {@code \#ooo} escapes back into bytes and renders them readably. */
  static String unescape(String escaped) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(escaped.length());
    int i = 0;
    while (i < escaped.length()) {
      char c = escaped.charAt(i);
      if (c == '\\'
          && i + 5 <= escaped.length()
          && escaped.charAt(i + 1) == '#'
          && octal(escaped, i + 2)) {
        raw.write(Integer.parseInt(escaped.substring(i + 2, i + 5), 8));
        i += 5;
      } else {
        raw.write(c & 0xff);
        i++;
      }
    }
    return RelPath.display(raw.toByteArray());
  }

  private static boolean octal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int k = from; k < from + 3; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '7') {
        return false;
      }
    }
    return true;
  }

  synchronized long files() {
    return files;
  }

  synchronized long bytes() {
    return bytes;
  }

  synchronized long lines() {
    return lines;
  }

  synchronized List<String> names() {
    return List.copyOf(kept);
  }
}

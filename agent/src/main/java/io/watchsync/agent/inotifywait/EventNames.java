package io.watchsync.agent.inotifywait;

import static io.watchsync.agent.inotify.InotifyMask.IN_ACCESS;
import static io.watchsync.agent.inotify.InotifyMask.IN_ATTRIB;
import static io.watchsync.agent.inotify.InotifyMask.IN_CLOSE_NOWRITE;
import static io.watchsync.agent.inotify.InotifyMask.IN_CLOSE_WRITE;
import static io.watchsync.agent.inotify.InotifyMask.IN_CREATE;
import static io.watchsync.agent.inotify.InotifyMask.IN_DELETE;
import static io.watchsync.agent.inotify.InotifyMask.IN_DELETE_SELF;
import static io.watchsync.agent.inotify.InotifyMask.IN_IGNORED;
import static io.watchsync.agent.inotify.InotifyMask.IN_ISDIR;
import static io.watchsync.agent.inotify.InotifyMask.IN_MODIFY;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_FROM;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_TO;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVE_SELF;
import static io.watchsync.agent.inotify.InotifyMask.IN_OPEN;
import static io.watchsync.agent.inotify.InotifyMask.IN_Q_OVERFLOW;
import static io.watchsync.agent.inotify.InotifyMask.IN_UNMOUNT;

import java.util.Locale;
import java.util.Map;

/**
 * inotifywait's event names: parsing {@code -e} arguments and printing masks, in the order and with
 * the quirks of inotify-tools 3.22 (libinotifytools).
 */
public final class EventNames {
  /** The events inotifywait listens for when no {@code -e} is given ({@code IN_ALL_EVENTS}). */
  public static final int ALL_EVENTS = 0xfff;

  static final int IN_CLOSE = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE;
  static final int IN_MOVE = IN_MOVED_FROM | IN_MOVED_TO;
  static final int IN_ONESHOT = 0x80000000;

  /** What {@code -e} accepts (case-insensitive); the last three are accepted but rarely useful. */
  private static final Map<String, Integer> BY_NAME =
      Map.ofEntries(
          Map.entry("access", IN_ACCESS),
          Map.entry("modify", IN_MODIFY),
          Map.entry("attrib", IN_ATTRIB),
          Map.entry("close_write", IN_CLOSE_WRITE),
          Map.entry("close_nowrite", IN_CLOSE_NOWRITE),
          Map.entry("open", IN_OPEN),
          Map.entry("moved_from", IN_MOVED_FROM),
          Map.entry("moved_to", IN_MOVED_TO),
          Map.entry("create", IN_CREATE),
          Map.entry("delete", IN_DELETE),
          Map.entry("delete_self", IN_DELETE_SELF),
          Map.entry("unmount", IN_UNMOUNT),
          Map.entry("q_overflow", IN_Q_OVERFLOW),
          Map.entry("ignored", IN_IGNORED),
          Map.entry("close", IN_CLOSE),
          Map.entry("move_self", IN_MOVE_SELF),
          Map.entry("move", IN_MOVE),
          Map.entry("isdir", IN_ISDIR),
          Map.entry("oneshot", IN_ONESHOT),
          Map.entry("all_events", ALL_EVENTS));

  /** Printing order: not bit order (CLOSE and MOVE_SELF come late), as inotifywait prints them. */
  private static final int[] PRINT_BITS = {
    IN_ACCESS,
    IN_MODIFY,
    IN_ATTRIB,
    IN_CLOSE_WRITE,
    IN_CLOSE_NOWRITE,
    IN_OPEN,
    IN_MOVED_FROM,
    IN_MOVED_TO,
    IN_CREATE,
    IN_DELETE,
    IN_DELETE_SELF,
    IN_UNMOUNT,
    IN_Q_OVERFLOW,
    IN_IGNORED,
    IN_CLOSE,
    IN_MOVE_SELF,
    IN_ISDIR,
    IN_ONESHOT
  };

  private static final String[] PRINT_NAMES = {
    "ACCESS",
    "MODIFY",
    "ATTRIB",
    "CLOSE_WRITE",
    "CLOSE_NOWRITE",
    "OPEN",
    "MOVED_FROM",
    "MOVED_TO",
    "CREATE",
    "DELETE",
    "DELETE_SELF",
    "UNMOUNT",
    "Q_OVERFLOW",
    "IGNORED",
    "CLOSE",
    "MOVE_SELF",
    "ISDIR",
    "ONESHOT"
  };

  private EventNames() {}

  /**
   * Parses one {@code -e} argument: names separated by commas.
   *
   * @return the mask, or 0 when the argument is empty, has an empty name or ends with a comma
   *     (inotifywait then ignores the argument)
   * @throws IllegalArgumentException when a name is not an event
   */
  public static int parse(String argument) {
    if (argument.isEmpty()) {
      return 0;
    }
    int mask = 0;
    String[] names = argument.split(",", -1);
    for (String name : names) {
      if (name.isEmpty()) {
        return 0;
      }
      Integer bit = BY_NAME.get(name.toLowerCase(Locale.ROOT));
      if (bit == null) {
        throw new IllegalArgumentException(
            "'"
                + argument
                + "' is not a valid event!  Run with the '--help' option to see a list"
                + " of events.");
      }
      mask |= bit;
    }
    return mask;
  }

  /** {@code CLOSE_WRITE,CLOSE} for {@code separator} ','; a hex number when no name applies. */
  public static String describe(int mask, char separator) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < PRINT_BITS.length; i++) {
      if ((mask & PRINT_BITS[i]) != 0) {
        if (out.length() > 0) {
          out.append(separator);
        }
        out.append(PRINT_NAMES[i]);
      }
    }
    return out.length() > 0 ? out.toString() : String.format("0x%08x", mask);
  }
}

package io.watchsync.agent.inotify;

import java.util.StringJoiner;

/** Event and watch flags from {@code <sys/inotify.h>} (the same on every Linux architecture). */
public final class InotifyMask {
  public static final int IN_ACCESS = 0x1;
  public static final int IN_MODIFY = 0x2;
  public static final int IN_ATTRIB = 0x4;
  public static final int IN_CLOSE_WRITE = 0x8;
  public static final int IN_CLOSE_NOWRITE = 0x10;
  public static final int IN_OPEN = 0x20;
  public static final int IN_MOVED_FROM = 0x40;
  public static final int IN_MOVED_TO = 0x80;
  public static final int IN_CREATE = 0x100;
  public static final int IN_DELETE = 0x200;
  public static final int IN_DELETE_SELF = 0x400;
  public static final int IN_MOVE_SELF = 0x800;
  public static final int IN_UNMOUNT = 0x2000;
  public static final int IN_Q_OVERFLOW = 0x4000;
  public static final int IN_IGNORED = 0x8000;
  public static final int IN_ONLYDIR = 0x01000000;
  public static final int IN_DONT_FOLLOW = 0x02000000;
  public static final int IN_EXCL_UNLINK = 0x04000000;
  public static final int IN_ISDIR = 0x40000000;

  /** {@code inotify_init1} flags. */
  public static final int IN_NONBLOCK = 0x800;

  public static final int IN_CLOEXEC = 0x80000;

  private static final int[] BITS = {
    IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE, IN_OPEN, IN_MOVED_FROM,
    IN_MOVED_TO, IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF, IN_UNMOUNT, IN_Q_OVERFLOW,
    IN_IGNORED, IN_ISDIR
  };
  private static final String[] NAMES = {
    "ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN", "MOVED_FROM", "MOVED_TO",
    "CREATE", "DELETE", "DELETE_SELF", "MOVE_SELF", "UNMOUNT", "Q_OVERFLOW", "IGNORED", "ISDIR"
  };

  private InotifyMask() {}

  /** {@code CREATE,ISDIR}, for debug logs. */
  public static String describe(int mask) {
    StringJoiner names = new StringJoiner(",");
    for (int i = 0; i < BITS.length; i++) {
      if ((mask & BITS[i]) != 0) {
        names.add(NAMES[i]);
      }
    }
    return names.toString();
  }
}

package io.watchsync.agent.inotify;

import io.watchsync.agent.fs.RelPath;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code struct inotify_event}: the watch it came from, what happened, the cookie that pairs
 * the two halves of a rename, and the name (raw bytes, empty for events on the watched directory
 * itself).
 */
public record InotifyEvent(int wd, int mask, int cookie, byte[] name) {
  private static final int HEADER = 16;

  public boolean is(int flag) {
    return (mask & flag) != 0;
  }

  public boolean isDirectory() {
    return is(InotifyMask.IN_ISDIR);
  }

  public boolean hasName() {
    return name.length > 0;
  }

  /** Parses the events in {@code buf[0..length)} as the kernel laid them out. */
  public static List<InotifyEvent> parse(byte[] buf, int length) {
    ByteBuffer b = ByteBuffer.wrap(buf, 0, length).order(ByteOrder.nativeOrder());
    List<InotifyEvent> events = new ArrayList<>();
    int pos = 0;
    while (pos + HEADER <= length) {
      int wd = b.getInt(pos);
      int mask = b.getInt(pos + 4);
      int cookie = b.getInt(pos + 8);
      int len = b.getInt(pos + 12);
      if (len < 0 || pos + HEADER + len > length) {
        throw new IllegalStateException(
            "inotify returned a truncated event at offset " + pos + " of " + length);
      }
      int start = pos + HEADER;
      int end = start;
      while (end < start + len && buf[end] != 0) {
        end++;
      }
      events.add(new InotifyEvent(wd, mask, cookie, Arrays.copyOfRange(buf, start, end)));
      pos = start + len;
    }
    return events;
  }

  @Override
  public String toString() {
    return "InotifyEvent[wd="
        + wd
        + ", "
        + InotifyMask.describe(mask)
        + ", cookie="
        + cookie
        + ", name="
        + RelPath.display(name)
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InotifyEvent e
        && e.wd == wd
        && e.mask == mask
        && e.cookie == cookie
        && Arrays.equals(e.name, name);
  }

  @Override
  public int hashCode() {
    return (wd * 31 + mask) * 31 + Arrays.hashCode(name);
  }
}

package io.watchsync.agent.posix;

import java.util.Map;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/** errno values the agent reacts to, and their names for messages. */
public final class Errno {
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int ENOTDIR = 20;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int ENOSPC = 28;
  public static final int ELOOP = 40;
  public static final int ESTALE = 116;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "EPERM"),
          Map.entry(ENOENT, "ENOENT"),
          Map.entry(EINTR, "EINTR"),
          Map.entry(5, "EIO"),
          Map.entry(EBADF, "EBADF"),
          Map.entry(EAGAIN, "EAGAIN"),
          Map.entry(12, "ENOMEM"),
          Map.entry(EACCES, "EACCES"),
          Map.entry(14, "EFAULT"),
          Map.entry(ENOTDIR, "ENOTDIR"),
          Map.entry(EINVAL, "EINVAL"),
          Map.entry(23, "ENFILE"),
          Map.entry(EMFILE, "EMFILE"),
          Map.entry(ENOSPC, "ENOSPC"),
          Map.entry(36, "ENAMETOOLONG"),
          Map.entry(ELOOP, "ELOOP"),
          Map.entry(ESTALE, "ESTALE"));

  private Errno() {}

  /** The errno the last native call on this thread left. Read it right after the call. */
  public static int last() {
    return LastError.getLastError(Runtime.getRuntime(LibC.INSTANCE));
  }

  /** {@code ENOSPC (No space left on device)}. */
  public static String describe(int errno) {
    String name = NAMES.getOrDefault(errno, "errno " + errno);
    String text = LibC.INSTANCE.strerror(errno);
    return text == null ? name : name + " (" + text + ")";
  }
}

package io.watchsync.agent.inotify;

import io.watchsync.agent.posix.Errno;
import io.watchsync.agent.posix.NativeCallException;

/**
 * The kernel refused another watch: {@code fs.inotify.max_user_watches} is too low for the tree.
 * The message says which value is set, how many watches the tree needs and how to raise it.
 */
public final class WatchLimitException extends NativeCallException {

  public WatchLimitException(String path, String setting, long limit, long needed) {
    super(
        "inotify_add_watch("
            + path
            + "): ENOSPC: "
            + setting
            + " is "
            + limit
            + " but the tree needs "
            + needed
            + " watches (one per directory, other inotify users on this host count too);"
            + " raise it, e.g. sysctl -w "
            + setting.split(" ")[0]
            + "="
            + suggested(needed)
            + " and persist it under /etc/sysctl.d/",
        Errno.ENOSPC);
  }

  private static long suggested(long needed) {
    long n = 8192;
    while (n < needed * 2) {
      n *= 2;
    }
    return n;
  }
}

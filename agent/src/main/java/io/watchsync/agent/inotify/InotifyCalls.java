package io.watchsync.agent.inotify;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;

/**
 * The C library's inotify(7) calls, named as in C; the descriptor they return is read, polled and
 * closed with {@link io.watchsync.agent.posix.LibC}. Paths are NUL-terminated raw bytes. Loaded
 * once, eagerly, so a missing symbol fails at start-up rather than mid-run.
 */
public interface InotifyCalls {

  InotifyCalls INSTANCE =
      LibraryLoader.create(InotifyCalls.class)
          .option(LibraryOption.LoadNow, true)
          .failImmediately()
          .load("c");

  int inotify_init1(int flags);

  int inotify_add_watch(int fd, @In byte[] pathname, int mask);

  int inotify_rm_watch(int fd, int wd);
}

package io.watchsync.agent.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The general C library calls the agent needs (descriptors, directories, links, errors), named as
 * in C. Paths are NUL-terminated raw bytes, so names that are not valid in any charset still work.
 * Loaded once, eagerly, so a missing symbol fails at start-up rather than mid-run. The inotify
 * calls have their own binding, next to the rest of the inotify code.
 */
public interface LibC {

  LibC INSTANCE =
      LibraryLoader.create(LibC.class)
          .option(LibraryOption.LoadNow, true)
          .failImmediately()
          .load("c");

  @ssize_t
  long read(int fd, @Out byte[] buf, @size_t long count);

  /** {@code fds} is an array of {@code struct pollfd} (int fd, short events, short revents). */
  int poll(@In @Out byte[] fds, long nfds, int timeout);

  @IgnoreError
  int close(int fd);

  int open(@In byte[] pathname, int flags);

  Pointer opendir(@In byte[] name);

  /** Returns null at the end of the directory (errno unchanged) or on error (errno set). */
  Pointer readdir(Pointer dirp);

  @IgnoreError
  int closedir(Pointer dirp);

  @ssize_t
  long readlink(@In byte[] pathname, @Out byte[] buf, @size_t long bufsiz);

  @IgnoreError
  String strerror(int errnum);
}

package io.watchsync.agent.inotify;

import java.io.IOException;

/** A native call failed; the message names the call, its argument and the errno. */
public class NativeCallException extends IOException {
  private final int errno;

  public NativeCallException(String call, String argument, int errno) {
    this(call + "(" + argument + "): " + Errno.describe(errno), errno);
  }

  protected NativeCallException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}

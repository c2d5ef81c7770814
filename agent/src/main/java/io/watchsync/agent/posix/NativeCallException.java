package io.watchsync.agent.posix;

import java.io.IOException;

/** A native call failed; the message names the call, its argument and the errno. */
public class NativeCallException extends IOException {
  private final int errno;

  public NativeCallException(String call, String argument, int errno) {
    this(call + "(" + argument + "): " + Errno.describe(errno), errno);
  }

  /** For a failure whose message says more than the errno, such as which limit was reached. */
  public NativeCallException(String message, int errno) {
    super(message);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }
}

package io.watchsync.agent.rejoin;

/** A rejoin that was refused or failed; the message says why in one line. */
public final class RejoinException extends Exception {
  public RejoinException(String message) {
    super(message);
  }
}

package io.watchsync.agent;

/** The agent cannot start or go on; the message is one line meant for the operator. */
public final class AgentException extends Exception {
  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.watchsync.agent.status;

/**
 * A running agent's status endpoint cannot be reached, or refused or failed what it was asked; the
 * message is one line meant for the operator.
 */
public final class StatusException extends Exception {
  public StatusException(String message) {
    super(message);
  }

  public StatusException(String message, Throwable cause) {
    super(message, cause);
  }
}

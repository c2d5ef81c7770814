package io.watchsync.agent.config;

/**
 * A configuration that cannot be used. The message is the one line shown to the user (it names the
 * file, line and key when there is one) and the command exits with code 2.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

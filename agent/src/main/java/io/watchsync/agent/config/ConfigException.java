package io.watchsync.agent.config;

/** The configuration is wrong; the message is the one line shown to the user (exit code 2). */
public final class ConfigException extends Exception {
  public ConfigException(String message) {
    super(message);
  }
}

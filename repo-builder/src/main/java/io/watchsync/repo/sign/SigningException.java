package io.watchsync.repo.sign;

/**
 * Signing could not be done: an unusable key or passphrase file (a configuration error), or a
 * package or file that could not be signed (a failure). The message is one line and never holds the
 * passphrase or any part of a secret key.
 */
public final class SigningException extends Exception {
  private final boolean configError;

  private SigningException(String message, boolean configError) {
    super(message);
    this.configError = configError;
  }

  /** The key, the passphrase file or an option is wrong: nothing was signed. */
  public static SigningException config(String message) {
    return new SigningException(message, true);
  }

  /** The key is fine, but a file could not be signed. */
  public static SigningException failure(String message) {
    return new SigningException(message, false);
  }

  public boolean configError() {
    return configError;
  }
}

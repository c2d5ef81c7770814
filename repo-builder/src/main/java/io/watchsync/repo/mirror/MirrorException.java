package io.watchsync.repo.mirror;

/**
 * Why a mirror run could not go on, in one line. A usage error (a malformed --repo, a .repo file
 * that cannot be read, nothing asked for) exits 2; anything else 1.
 */
public final class MirrorException extends Exception {
  private final boolean usageError;

  public MirrorException(String message) {
    this(message, false);
  }

  public MirrorException(String message, boolean usageError) {
    super(message);
    this.usageError = usageError;
  }

  public MirrorException(String message, Throwable cause) {
    super(message, cause);
    this.usageError = false;
  }

  public boolean usageError() {
    return usageError;
  }
}

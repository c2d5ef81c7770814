package io.watchsync.repo.build;

/** A package could not be built; the message names the file or value at fault, on one line. */
public final class PackagingException extends Exception {
  private static final long serialVersionUID = 1L;

  public PackagingException(String message) {
    super(message);
  }

  public PackagingException(String message, Throwable cause) {
    super(message, cause);
  }
}

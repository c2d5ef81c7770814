package io.watchsync.repo.collect;

/** A collect run that cannot start: a bad argument (a usage error) or an unusable target. */
public final class CollectException extends Exception {
  private final boolean usageError;

  private CollectException(String message, boolean usageError) {
    super(message);
    this.usageError = usageError;
  }

  /** The caller asked for something impossible, e.g. a cache directory that does not exist. */
  static CollectException usage(String message) {
    return new CollectException(message, true);
  }

  /** The run could not go on, e.g. the target directory cannot be created. */
  static CollectException failure(String message) {
    return new CollectException(message, false);
  }

  public boolean usageError() {
    return usageError;
  }
}

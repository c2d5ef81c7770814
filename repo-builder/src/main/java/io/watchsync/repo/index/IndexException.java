package io.watchsync.repo.index;

/** Indexing could not be done at all (the directory cannot be read, metadata cannot be written). */
public final class IndexException extends Exception {
  public IndexException(String message) {
    super(message);
  }

  public IndexException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.watchsync.agent.source;

/** The source is not what {@code source_mount} demands, or not a directory at all. */
public final class SourceMountException extends Exception {
  public SourceMountException(String message) {
    super(message);
  }
}

package io.watchsync.repo.cli;

/** The exit codes every repo-builder command uses. */
final class ExitCodes {
  static final int OK = 0;

  /** A runtime failure, or input that was rejected (a broken package). */
  static final int FAILURE = 1;

  /** A usage or configuration error. */
  static final int USAGE = 2;

  private ExitCodes() {}
}

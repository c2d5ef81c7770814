package io.watchsync.agent.cli;

/** The exit codes every watchsync command uses (repo-builder's are the same). */
public final class ExitCodes {
  public static final int OK = 0;

  /** A runtime failure (a target unreachable in check, the watch failed, …). */
  public static final int FAILURE = 1;

  /** A usage or configuration error. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}

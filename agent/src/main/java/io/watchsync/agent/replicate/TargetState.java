package io.watchsync.agent.replicate;

/** How a target is doing, as {@code watchsync status}, the metrics and {@code /health} show it. */
public enum TargetState {
  /** The last run went through. */
  UP,
  /**
   * Runs fail for a reason other than reachability (a refused login, a password file rsync rejects,
   * an unknown module, a full disk, a protocol error): only the operator can mend it.
   */
  FAILING,
  /** The target does not answer: the network or the host is down. */
  DOWN,
  /**
   * Nothing or not everything is sent on purpose: the source's file system is gone, or a full sync
   * would delete more than {@code max_delete} allows and waits for {@code sync-now
   * --allow-deletes}.
   */
  HELD;

  /** The word shown for it: {@code up}, {@code failing}, {@code down}, {@code held}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

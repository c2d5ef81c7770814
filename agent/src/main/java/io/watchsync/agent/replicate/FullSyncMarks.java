package io.watchsync.agent.replicate;

/**
 * Where a target's full syncs stand, by number: each full sync started gets the next one. A full
 * sync numbered above {@code started} as read at some moment began after it, so once it completed
 * every change made before that moment is on the target ({@code sync-now --wait}).
 *
 * @param started full syncs started since the agent started
 * @param lastEnded the number of the latest full sync that ended, completed or not; 0 before
 * @param lastDone the number of the latest full sync that completed, deletions included; 0 before
 */
public record FullSyncMarks(long started, long lastEnded, long lastDone) {
  public static final FullSyncMarks NONE = new FullSyncMarks(0, 0, 0);

  /** True once a full sync numbered above {@code mark} completed. */
  public boolean doneAfter(long mark) {
    return lastDone > mark;
  }

  /** True once a full sync numbered above {@code mark} ended without completing. */
  public boolean failedAfter(long mark) {
    return lastEnded > mark && lastEnded > lastDone;
  }
}

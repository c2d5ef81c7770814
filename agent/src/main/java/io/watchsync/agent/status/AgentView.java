package io.watchsync.agent.status;

import java.util.List;

/** What the status endpoint reads from, and asks of, the running agent. */
public interface AgentView {

  /** The targets now, in configuration order. */
  List<TargetStatus> targets();

  /**
   * Why the source is lost (unmounted, replaced: every target is held), or null while it is there.
   */
  default String sourceLoss() {
    return null;
  }

  /** Directories under inotify watch. */
  int watchedDirectories();

  /**
   * Asks for a full sync of one target, or of all when {@code target} is null.
   *
   * @return false when no target has that name
   */
  boolean requestFullSync(String target, String reason);

  /**
   * As {@link #requestFullSync(String, String)}; with {@code allowDeletions} that full sync may
   * delete beyond the deletion budget ({@code sync-now --allow-deletes}).
   */
  boolean requestFullSync(String target, String reason, boolean allowDeletions);
}

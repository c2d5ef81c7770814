package io.watchsync.agent.status;

import io.watchsync.agent.replicate.FullSyncMarks;
import io.watchsync.agent.replicate.TargetState;
import java.time.Duration;

/**
 * One target as the status endpoint shows it, taken when asked.
 *
 * @param name the target's name
 * @param url its URL (never holds a password: those are refused in the configuration)
 * @param state up, failing, down or held
 * @param stateDetail why it is not up (the hold's reason or the last failure); null when up
 * @param pending changes queued or being sent
 * @param lag the age of the oldest change not yet delivered
 * @param counters what was sent and what failed since the start
 * @param fullSyncs the numbers of the full syncs started, ended and completed
 */
public record TargetStatus(
    String name,
    String url,
    TargetState state,
    String stateDetail,
    int pending,
    Duration lag,
    Metrics.TargetCounters counters,
    FullSyncMarks fullSyncs) {

  /** True while the target does not answer. */
  public boolean down() {
    return state == TargetState.DOWN;
  }
}

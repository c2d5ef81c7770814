package io.watchsync.agent.status;

import java.time.Duration;

/**
 * One target as the status endpoint shows it, taken when asked.
 *
 * @param name the target's name
 * @param url its URL (never holds a password: those are refused in the configuration)
 * @param down true while the target is considered unreachable
 * @param pending changes queued or being sent
 * @param lag the age of the oldest change not yet delivered
 * @param counters what was sent and what failed since the start
 */
public record TargetStatus(
    String name,
    String url,
    boolean down,
    int pending,
    Duration lag,
    Metrics.TargetCounters counters) {}

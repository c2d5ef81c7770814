package io.watchsync.agent.status;

import io.watchsync.agent.config.DurationParser;
import io.watchsync.agent.replicate.TargetState;
import java.time.Duration;

/**
 * What {@code /health} holds against one target: it is healthy only while it is {@code up} and its
 * oldest undelivered change is younger than {@code max_lag}.
 */
final class HealthRule {
  private HealthRule() {}

  /**
   * Why {@code t} is not healthy, as a phrase naming it ({@code backup1 is failing: rsync exit 5:
   * …}, {@code backup1 lags 75s behind (12 changes pending, target down: …)}); null when it is.
   */
  static String problem(TargetStatus t, Duration maxLag) {
    boolean lagging = t.lag().compareTo(maxLag) >= 0;
    if (!lagging && t.state() == TargetState.UP) {
      return null;
    }
    if (!lagging) {
      return t.name() + " is " + state(t);
    }
    return t.name()
        + " lags "
        + DurationParser.format(Duration.ofSeconds(t.lag().toSeconds()))
        + " behind ("
        + t.pending()
        + (t.pending() == 1 ? " change" : " changes")
        + " pending, target "
        + state(t)
        + ")";
  }

  /** {@code up}, or {@code failing: DETAIL}: the state's word and why, on one line. */
  static String state(TargetStatus t) {
    String detail = t.stateDetail();
    if (t.state() == TargetState.UP || detail == null || detail.isBlank()) {
      return t.state().word();
    }
    return t.state().word() + ": " + detail.replaceAll("\\s+", " ").strip();
  }
}

package io.watchsync.agent.replicate;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: each failure doubles the delay up to a ceiling. */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private int failures;

  Backoff(Duration initial, Duration max) {
    this.initialNanos = Math.max(1, initial.toNanos());
    this.maxNanos = Math.max(initialNanos, max.toNanos());
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  synchronized Duration nextDelay() {
    int shift = Math.min(failures, 30);
    failures++;
    long ceiling = Math.min(maxNanos, initialNanos << shift);
    if (ceiling < 0) {
      ceiling = maxNanos;
    }
    // "Equal jitter": half fixed, half random, so retries of many agents spread out but never
    // collapse to zero delay.
    long half = ceiling / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  synchronized int failures() {
    return failures;
  }

  synchronized void reset() {
    failures = 0;
  }
}

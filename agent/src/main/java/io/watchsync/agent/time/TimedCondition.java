package io.watchsync.agent.time;

/** A lock's condition whose waits end at a deadline read on a {@link MonotonicClock}. */
public interface TimedCondition {
  /** A deadline that never comes: the wait ends only when the condition is signalled. */
  long NO_DEADLINE = Long.MAX_VALUE;

  /**
   * Waits, holding the lock, until signalled or until the clock reaches {@code deadline} ({@link
   * #NO_DEADLINE}: only when signalled). Like any condition wait it may end early, so the caller
   * checks again what it waits for.
   */
  void awaitUntil(long deadline) throws InterruptedException;

  /** Wakes every thread waiting on this condition; the lock must be held. */
  void signalAll();
}

package io.watchsync.agent.time;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Elapsed time, and waiting for it: {@link #SYSTEM} in production; tests move a clock of their own
 * by hand, so what depends on time (a batch window, a write grace, a retry delay) is checked
 * without waiting for it.
 */
public interface MonotonicClock {
  /** {@link System#nanoTime()}, with waits that really take that long. */
  MonotonicClock SYSTEM = new SystemClock();

  /** Now, in nanoseconds from an arbitrary origin; only differences between readings mean much. */
  long nanoTime();

  /** A condition of {@code lock} whose timed waits end when this clock reaches their deadline. */
  TimedCondition newCondition(ReentrantLock lock);
}

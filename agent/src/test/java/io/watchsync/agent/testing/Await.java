package io.watchsync.agent.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline instead of sleeping a fixed time. */
public final class Await {
  private static final long POLL_MILLIS = 20;

  private Await() {}

  /**
   * Polls {@code condition} every 20 ms until it holds.
   *
   * @throws AssertionError naming {@code describe.get()} when {@code timeout} passes first
   */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> describe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout.toMillis() + " ms waiting for " + describe.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + describe.get(), e);
      }
    }
  }
}

package io.watchsync.agent.time;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The JVM's monotonic clock; a timed wait is a {@link Condition#awaitNanos} until the deadline. */
final class SystemClock implements MonotonicClock {
  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public TimedCondition newCondition(ReentrantLock lock) {
    Condition condition = lock.newCondition();
    return new TimedCondition() {
      @Override
      public void awaitUntil(long deadline) throws InterruptedException {
        if (deadline == NO_DEADLINE) {
          condition.await();
          return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
          condition.awaitNanos(left);
        }
      }

      @Override
      public void signalAll() {
        condition.signalAll();
      }
    };
  }
}

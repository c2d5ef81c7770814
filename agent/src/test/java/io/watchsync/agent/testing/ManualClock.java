package io.watchsync.agent.testing;

import io.watchsync.agent.time.MonotonicClock;
import io.watchsync.agent.time.TimedCondition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that stands still until the test moves it. Moving it wakes every wait on its conditions,
 * so each checks its deadline against the new time: logical time, never real time, decides what a
 * timed wait sees.
 */
public final class ManualClock implements MonotonicClock {
  private final AtomicLong now = new AtomicLong();
  private final List<Long> deadlinesWaitedFor = new CopyOnWriteArrayList<>();
  private final List<ManualCondition> conditions = new CopyOnWriteArrayList<>();

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock on by {@code d} and wakes the waits, which end if their deadline is past. */
  public void advance(Duration d) {
    now.addAndGet(d.toNanos());
    for (ManualCondition c : conditions) {
      c.wakeAll();
    }
  }

  /**
   * The deadline of each wait on one of this clock's conditions right now, one per waiting thread
   * ({@link TimedCondition#NO_DEADLINE} for a wait that only a signal ends).
   */
  public List<Long> deadlinesWaitedFor() {
    return List.copyOf(deadlinesWaitedFor);
  }

  @Override
  public TimedCondition newCondition(ReentrantLock lock) {
    ManualCondition c = new ManualCondition(lock, lock.newCondition());
    conditions.add(c);
    return c;
  }

  private final class ManualCondition implements TimedCondition {
    private final ReentrantLock lock;
    private final Condition condition;

    ManualCondition(ReentrantLock lock, Condition condition) {
      this.lock = lock;
      this.condition = condition;
    }

    @Override
    public void awaitUntil(long deadline) throws InterruptedException {
      // Read under the lock, which advance() must take to wake us: no move can slip in between.
      if (deadline <= now.get()) {
        return;
      }
      deadlinesWaitedFor.add(deadline);
      try {
        condition.await();
      } finally {
        deadlinesWaitedFor.remove(Long.valueOf(deadline));
      }
    }

    @Override
    public void signalAll() {
      condition.signalAll();
    }

    void wakeAll() {
      lock.lock();
      try {
        condition.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}

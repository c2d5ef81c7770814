package io.watchsync.agent.watch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Visits a tree on several threads, each item once, and returns when every item was visited. Each
 * thread goes depth first through a stack of its own; when another thread runs out of work, the
 * busy one hands over the oldest item on its stack, the root of the largest subtree it has left.
 * Used to watch a large tree at start-up: listing directories and adding watches is kernel work
 * that runs on every core at once.
 */
final class ParallelWalk {
  /** Visits one item, passing each of its children to {@code children}. */
  interface Visitor<T> {
    void visit(T item, Consumer<T> children) throws IOException;
  }

  private static final long IDLE_PARK_NANOS = 20_000;

  private ParallelWalk() {}

  /**
   * Visits {@code root} and everything below it with {@code threads} threads (the caller's among
   * them). The first failure stops the walk and is thrown once every thread has stopped.
   */
  static <T> void walk(T root, int threads, String threadName, Visitor<T> visitor)
      throws IOException {
    Shared<T> shared = new Shared<>(visitor);
    shared.outstanding.set(1);
    shared.queue.add(root);
    List<Thread> helpers = new ArrayList<>();
    for (int i = 1; i < threads; i++) {
      Thread t = new Thread(shared::work, threadName + "-" + i);
      t.setDaemon(true);
      t.start();
      helpers.add(t);
    }
    shared.work();
    boolean interrupted = false;
    for (Thread t : helpers) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable failure = shared.failure.get();
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  private static final class Shared<T> {
    final Visitor<T> visitor;
    final ConcurrentLinkedDeque<T> queue = new ConcurrentLinkedDeque<>();

    /** Items handed out (to a stack or the queue) and not yet visited to the end. */
    final AtomicLong outstanding = new AtomicLong();

    final AtomicInteger idle = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Shared(Visitor<T> visitor) {
      this.visitor = visitor;
    }

    void work() {
      ArrayDeque<T> stack = new ArrayDeque<>();
      Consumer<T> push =
          child -> {
            outstanding.incrementAndGet();
            stack.addLast(child);
          };
      while (failure.get() == null) {
        if (stack.size() > 1 && idle.get() > 0 && queue.isEmpty()) {
          queue.addLast(stack.pollFirst());
        }
        T item = stack.pollLast();
        if (item == null) {
          item = queue.pollFirst();
        }
        if (item == null) {
          if (outstanding.get() == 0) {
            return;
          }
          idle.incrementAndGet();
          LockSupport.parkNanos(IDLE_PARK_NANOS);
          idle.decrementAndGet();
          continue;
        }
        try {
          visitor.visit(item, push);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          outstanding.decrementAndGet();
        }
      }
    }
  }
}

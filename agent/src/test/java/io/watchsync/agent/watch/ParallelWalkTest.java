package io.watchsync.agent.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParallelWalkTest {
  /** A node of a generated tree: its number and depth. */
  private record Node(long id, int depth) {}

  @Test
  void everyItemOfAWideAndDeepTreeIsVisitedOnceWhateverTheThreads() throws IOException {
    for (int threads : new int[] {1, 2, 4}) {
      Set<Long> visited = ConcurrentHashMap.newKeySet();
      AtomicInteger twice = new AtomicInteger();
      // 1 + 50 + 50*40 + a chain of 2,000 below the first of those: wide at the top, deep below.
      ParallelWalk.walk(
          new Node(0, 0),
          threads,
          "test-walk",
          (node, children) -> {
            if (!visited.add(node.id())) {
              twice.incrementAndGet();
            }
            if (node.depth() == 0) {
              for (int i = 1; i <= 50; i++) {
                children.accept(new Node(i, 1));
              }
            } else if (node.depth() == 1) {
              for (int i = 0; i < 40; i++) {
                children.accept(new Node(node.id() * 1000 + i, 2));
              }
            } else if (node.id() == 1000 || node.depth() > 2 && node.depth() < 2002) {
              children.accept(new Node(-node.depth() - 1, node.depth() + 1));
            }
          });
      assertEquals(0, twice.get(), threads + " threads");
      assertEquals(1 + 50 + 50 * 40 + 2000, visited.size(), threads + " threads");
    }
  }

  @Test
  void theItemsSpreadOverTheThreadsWhenThereIsWorkForAll() throws IOException {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    ParallelWalk.walk(
        0,
        2,
        "test-walk",
        (n, children) -> {
          threads.add(Thread.currentThread().getName());
          if (n < 2_000) {
            children.accept(2 * n + 1);
            children.accept(2 * n + 2);
          }
          long until = System.nanoTime() + 20_000; // work that takes a while, as a listing does
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
        });
    assertEquals(2, threads.size(), threads.toString());
  }

  @Test
  void theFirstFailureStopsTheWalkAndIsThrown() {
    IOException failure = new IOException("cannot list d7");
    AtomicInteger visited = new AtomicInteger();
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                ParallelWalk.walk(
                    0,
                    2,
                    "test-walk",
                    (n, children) -> {
                      visited.incrementAndGet();
                      if (n == 7) {
                        throw failure;
                      }
                      if (n < 100_000) {
                        children.accept(2 * n + 1);
                        children.accept(2 * n + 2);
                      }
                    }));
    assertSame(failure, thrown);
    assertTrue(visited.get() < 200_001, "stopped early: " + visited.get());
  }
}

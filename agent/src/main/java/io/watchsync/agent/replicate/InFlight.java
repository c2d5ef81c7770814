package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import java.util.HashMap;
import java.util.Map;

/**
 * The paths a target's workers are sending right now, and the rules that keep two runs from
 * touching the same path at once.
 *
 * <ul>
 *   <li>the same path is never in two runs: the one that finishes last would win, and it may hold
 *       the older content;
 *   <li>a recursive run (it mirrors a directory and deletes extras in it) excludes every run below
 *       or above that directory, or it could delete a file another run has just sent.
 * </ul>
 *
 * Not thread-safe: {@link PendingChanges} guards it with its lock.
 */
final class InFlight {
  private final Map<RelPath, Integer> exact = new HashMap<>();
  private final Map<RelPath, Integer> recursive = new HashMap<>();
  private final Map<RelPath, Integer> ancestors = new HashMap<>();
  private int runs;

  boolean isEmpty() {
    return runs == 0;
  }

  /** True when sending {@code path} now could race with a run in flight. */
  boolean conflicts(RelPath path, boolean asRecursive) {
    if (exact.containsKey(path)) {
      return true;
    }
    if (asRecursive && ancestors.containsKey(path)) {
      return true;
    }
    for (RelPath p = path.parent(); p != null; p = p.parent()) {
      if (recursive.containsKey(p)) {
        return true;
      }
    }
    return false;
  }

  void add(RelPath path, boolean asRecursive) {
    exact.merge(path, 1, Integer::sum);
    if (asRecursive) {
      recursive.merge(path, 1, Integer::sum);
    }
    for (RelPath p = path.parent(); p != null; p = p.parent()) {
      ancestors.merge(p, 1, Integer::sum);
    }
  }

  void remove(RelPath path, boolean asRecursive) {
    decrement(exact, path);
    if (asRecursive) {
      decrement(recursive, path);
    }
    for (RelPath p = path.parent(); p != null; p = p.parent()) {
      decrement(ancestors, p);
    }
  }

  void startRun() {
    runs++;
  }

  void endRun() {
    runs--;
  }

  private static void decrement(Map<RelPath, Integer> counts, RelPath key) {
    counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
  }
}

package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import java.util.List;

/** One unit of work a target's worker takes from its {@link PendingChanges}. */
public sealed interface Work {

  /**
   * Paths to send in one rsync run each: {@code plain} without recursion (files, symlinks,
   * deletions, directory attributes), {@code recursive} mirrored with everything below them.
   */
  record Batch(List<RelPath> plain, List<RelPath> recursive) implements Work {
    public int size() {
      return plain.size() + recursive.size();
    }
  }

  /** A directory renamed inside the tree, renamed on the target where the transport can. */
  record Rename(RelPath from, RelPath to) implements Work {}

  /**
   * A full comparison of the whole tree ({@code rsync -a --delete}). Changes queued up to {@code
   * sequence} are covered by it.
   */
  record FullSync(long sequence, String reason) implements Work {}
}

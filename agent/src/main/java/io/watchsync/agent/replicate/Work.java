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

  /**
   * Directories renamed inside the tree, in the order they were renamed, renamed on the target one
   * after the other in one go (one remote shell) where the transport can.
   */
  record Renames(List<Rename> moves) implements Work {
    public Renames {
      moves = List.copyOf(moves);
    }
  }

  /** One directory renamed inside the tree. */
  record Rename(RelPath from, RelPath to) {}

  /**
   * A full comparison of the whole tree ({@code rsync -a --delete}). Changes queued up to {@code
   * sequence} are covered by it.
   */
  record FullSync(long sequence, String reason) implements Work {}
}

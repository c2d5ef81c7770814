package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import java.util.List;

/** Delivers changes of the source tree to one target. Implementations may run concurrently. */
public interface Transport {

  /** Sends {@code paths} (deleting on the target those missing in the source). */
  Delivery send(List<RelPath> plain, boolean recursive) throws InterruptedException;

  /**
   * Makes the whole target equal to the source. Unless {@code deletionsAllowed}, a sync that would
   * delete more than the target's deletion budget is not run ({@link
   * Delivery.Verdict#DELETIONS_HELD}).
   */
  Delivery fullSync(boolean deletionsAllowed) throws InterruptedException;

  /** A full sync within the deletion budget. */
  default Delivery fullSync() throws InterruptedException {
    return fullSync(false);
  }

  /** True when {@link #rename} can move a directory on the target without re-sending it. */
  boolean supportsRename();

  /** Renames each of {@code moves} on the target, one after the other, in one go. */
  Delivery rename(List<Work.Rename> moves) throws InterruptedException;

  /** Renames {@code from} to {@code to} on the target. */
  default Delivery rename(RelPath from, RelPath to) throws InterruptedException {
    return rename(List.of(new Work.Rename(from, to)));
  }

  /** Checks the target is reachable, without changing it. */
  Delivery probe() throws InterruptedException;

  /** Lets go of what the runs kept open between them (a shared connection); no run is in flight. */
  default void close() throws InterruptedException {}
}

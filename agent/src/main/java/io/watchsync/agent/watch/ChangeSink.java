package io.watchsync.agent.watch;

import io.watchsync.agent.fs.RelPath;

/**
 * Where the tree watcher reports what changed. Called from the watcher's thread, once per event:
 * implementations must be thread-safe and must not block for long.
 *
 * <p>Paths say where to look, not what is there: the transport re-reads the source when it sends,
 * so a path that no longer exists is deleted on the target.
 *
 * <p>Every method does nothing by default, so a sink that cares about one kind of event (counting
 * overflows, say) overrides only that one.
 */
public interface ChangeSink {

  /** A path was finished (close after write, attribute change, moved in, deleted): send it. */
  default void changed(RelPath path) {}

  /**
   * A file was created or modified and may still be open for writing. Send it when {@link #changed}
   * follows, or after a grace period if nothing does (hard links, fifos, long writes).
   */
  default void writing(RelPath path) {}

  /**
   * A directory appeared (mkdir, moved in from outside the tree, or found by a rescan). It is
   * already watched; send it recursively, since files may have been created before the watch.
   */
  default void subtreeAppeared(RelPath dir) {}

  /**
   * A directory was renamed inside the tree. The watcher has already updated its own map. A target
   * that can rename in place does so; others delete {@code from} and send {@code to} recursively.
   */
  default void directoryMoved(RelPath from, RelPath to) {}

  /**
   * The kernel dropped events (queue overflow) for {@code subtree}. The watcher has rescanned its
   * watches; everything below {@code subtree} must be compared by a full sync.
   */
  default void eventsLost(RelPath subtree) {}
}

package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.watch.ChangeSink;
import java.util.List;

/**
 * Gives every change to every target's queue: each target keeps its own. The list can be replaced
 * while events flow (targets added or removed on reload).
 */
public final class FanOutSink implements ChangeSink {
  private volatile List<? extends ChangeSink> sinks;

  public FanOutSink(List<? extends ChangeSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  /** Replaces the queues changes go to, from the next event on. */
  public void setSinks(List<? extends ChangeSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void changed(RelPath path) {
    for (ChangeSink s : sinks) {
      s.changed(path);
    }
  }

  @Override
  public void writing(RelPath path) {
    for (ChangeSink s : sinks) {
      s.writing(path);
    }
  }

  @Override
  public void subtreeAppeared(RelPath dir) {
    for (ChangeSink s : sinks) {
      s.subtreeAppeared(dir);
    }
  }

  @Override
  public void directoryMoved(RelPath from, RelPath to) {
    for (ChangeSink s : sinks) {
      s.directoryMoved(from, to);
    }
  }

  @Override
  public void eventsLost(RelPath subtree) {
    for (ChangeSink s : sinks) {
      s.eventsLost(subtree);
    }
  }
}

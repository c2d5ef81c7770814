package io.watchsync.agent.watch;

import io.watchsync.agent.fs.RelPath;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a watcher reported, as lines like {@code changed a/b}, in order. */
final class RecordingSink implements ChangeSink {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void changed(RelPath path) {
    lines.add("changed " + path);
  }

  @Override
  public synchronized void writing(RelPath path) {
    lines.add("writing " + path);
  }

  @Override
  public synchronized void subtreeAppeared(RelPath dir) {
    lines.add("subtree " + dir);
  }

  @Override
  public synchronized void directoryMoved(RelPath from, RelPath to) {
    lines.add("moved " + from + " -> " + to);
  }

  @Override
  public synchronized void eventsLost(RelPath subtree) {
    lines.add("lost " + subtree);
  }

  synchronized boolean has(String line) {
    return lines.contains(line);
  }

  synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  synchronized void clear() {
    lines.clear();
  }
}

package io.watchsync.repo.index;

/** Told as packages are done, so a terminal can show how far a long run has got. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = (done, total) -> {};

  void progress(int done, int total);
}

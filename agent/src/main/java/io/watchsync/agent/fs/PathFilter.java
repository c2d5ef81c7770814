package io.watchsync.agent.fs;

/** Decides which paths are left out of replication (the configured excludes). */
@FunctionalInterface
public interface PathFilter {

  /** Excludes nothing. */
  PathFilter NONE = (path, directory) -> false;

  /**
   * True when {@code path} is excluded, either by a rule that matches it or because one of its
   * ancestor directories is excluded. {@code directory} says whether the path is a directory, for
   * rules that end in {@code /}.
   */
  boolean excludes(RelPath path, boolean directory);
}

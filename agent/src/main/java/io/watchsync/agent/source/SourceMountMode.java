package io.watchsync.agent.source;

import java.util.Locale;

/** What the source's file system must be ({@code source_mount}). */
public enum SourceMountMode {
  /**
   * The file system the source is on at start must stay: if the source was a mount point then, it
   * must stay one, of the same file system, and so must every mount below it.
   */
  AUTO,
  /** As {@link #AUTO}, and the source must be a mount point at start, or the agent refuses. */
  REQUIRED,
  /** The source's file system is not checked: only that the source is a directory. */
  ANY;

  /** The word used in the configuration. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code auto}, {@code required} or {@code any}. */
  public static SourceMountMode parse(String word) {
    for (SourceMountMode m : values()) {
      if (m.word().equals(word)) {
        return m;
      }
    }
    throw new IllegalArgumentException("must be auto, required or any, got \"" + word + "\"");
  }
}

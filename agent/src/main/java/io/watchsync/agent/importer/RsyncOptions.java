package io.watchsync.agent.importer;

import java.util.Set;

/** How the rsync options sersync passed ({@code <commonParams params="…">}) fare in watchsync. */
final class RsyncOptions {
  /** Short options watchsync always uses: -a is -rlptgoD, and event runs use --relative. */
  static final String ALWAYS_SHORT = "arlptgoDR";

  static final Set<String> ALWAYS_LONG =
      Set.of(
          "--archive",
          "--recursive",
          "--links",
          "--perms",
          "--times",
          "--group",
          "--owner",
          "--devices",
          "--specials",
          "--relative",
          "--numeric-ids");

  /**
   * Short options that only change how files are compared or stored on the target, so they mean the
   * same in watchsync's runs: carried over in rsync.extra_args.
   */
  static final String EXTRA_SHORT = "uHAXScWxLkKEOJ";

  static final Set<String> EXTRA_LONG =
      Set.of(
          "--update",
          "--hard-links",
          "--acls",
          "--xattrs",
          "--sparse",
          "--checksum",
          "--whole-file",
          "--one-file-system",
          "--copy-links",
          "--copy-dirlinks",
          "--keep-dirlinks",
          "--executability",
          "--omit-dir-times",
          "--omit-link-times",
          "--inplace",
          "--partial");

  /** Long options carried over when they come with their value ({@code --bwlimit=50m}). */
  static final Set<String> EXTRA_LONG_WITH_VALUE =
      Set.of(
          "--bwlimit",
          "--chmod",
          "--chown",
          "--usermap",
          "--groupmap",
          "--max-size",
          "--min-size",
          "--compress-level",
          "--skip-compress",
          "--modify-window");

  /** Options that only change what rsync prints. */
  static final Set<String> OUTPUT =
      Set.of(
          "-v",
          "--verbose",
          "-q",
          "--quiet",
          "-P",
          "--progress",
          "-h",
          "--human-readable",
          "--stats",
          "-i",
          "--itemize-changes",
          "--info",
          "--debug",
          "--out-format",
          "--log-file");

  private RsyncOptions() {}
}

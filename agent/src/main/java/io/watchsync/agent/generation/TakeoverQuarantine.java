package io.watchsync.agent.generation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where what a takeover would destroy on a backup is kept. The first full sync from a new primary
 * to a backup whose tree is at an older generation would delete or overwrite whatever that backup
 * holds and the new primary lacks: writes the old primary delivered to this backup but not to the
 * one that took over. That full sync moves them into {@code .watchsync-quarantine/DATE/} in the
 * backup's tree instead, for an operator to review and merge. The directory is never replicated,
 * watched or deleted by the agent (it is excluded everywhere, see {@link #withExcluded}).
 */
public final class TakeoverQuarantine {
  /** The directory's name, at the top of the tree. */
  public static final String DIR = ".watchsync-quarantine";

  /** The rsync exclude pattern of the directory: anchored, directories only. */
  public static final String EXCLUDE = "/" + DIR + "/";

  /** The dated name of one quarantine: {@code 2026-12-05T093012Z}. */
  public static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private TakeoverQuarantine() {}

  /** The quarantine of a full sync made at {@code now}, relative to the top of the tree. */
  public static String pathAt(Instant now) {
    return DIR + "/" + STAMP.format(now);
  }

  /** {@code patterns} and the quarantine's exclude: what the agent skips in every tree. */
  public static List<String> withExcluded(List<String> patterns) {
    List<String> all = new ArrayList<>(patterns);
    if (!all.contains(EXCLUDE)) {
      all.add(EXCLUDE);
    }
    return List.copyOf(all);
  }
}

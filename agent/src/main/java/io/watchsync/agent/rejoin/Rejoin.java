package io.watchsync.agent.rejoin;

import io.watchsync.agent.generation.TakeoverQuarantine;
import io.watchsync.agent.generation.TreeGeneration;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.transport.RsyncTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Turns an old primary's tree into a backup of the new primary's, without losing what only the old
 * one holds: one rsync pull (a delta, not a re-copy) makes the local tree equal to the new
 * primary's, and everything that pull would delete or overwrite locally (writes the old primary
 * took after its last delivered batch, files the new primary deleted or changed since) is moved
 * into a dated quarantine directory outside the tree, listed in the log and in a list file beside
 * it, for an operator to review and merge. Refused when the local tree's generation is newer than
 * the new primary's: then this tree is the primary's, and it would be the one overwritten.
 */
public final class Rejoin {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private static final DateTimeFormatter STAMP = TakeoverQuarantine.STAMP;

  /** How many moved paths are logged one by one; the list file has them all. */
  static final int LOGGED = 1000;

  /**
   * What a rejoin did.
   *
   * @param quarantine the dated directory holding what was moved aside; null when nothing was
   * @param movedAside the paths moved aside (or, in a dry run, that would be), relative to the tree
   * @param local the tree's generation before
   * @param primary the new primary's generation, which the tree has now
   * @param pulled what the pull reported (files, bytes)
   */
  public record Result(
      Path quarantine,
      List<String> movedAside,
      TreeGeneration local,
      TreeGeneration primary,
      Delivery pulled) {}

  private final Path tree;
  private final RsyncTransport fromPrimary;
  private final Path quarantineRoot;
  private final Clock clock;

  /**
   * @param tree the local tree that becomes a backup
   * @param fromPrimary the transport whose source is {@code tree} and whose target is the new
   *     primary's tree
   * @param quarantineRoot where the dated quarantine directories go; must be outside {@code tree}
   */
  public Rejoin(Path tree, RsyncTransport fromPrimary, Path quarantineRoot, Clock clock) {
    this.tree = tree.toAbsolutePath().normalize();
    this.fromPrimary = fromPrimary;
    this.quarantineRoot = quarantineRoot.toAbsolutePath().normalize();
    this.clock = clock;
  }

  /** Rejoins; with {@code dryRun} only says what would be moved aside. */
  public Result run(boolean dryRun) throws RejoinException, InterruptedException {
    if (quarantineRoot.startsWith(tree)) {
      throw new RejoinException(
          "the quarantine directory "
              + quarantineRoot
              + " is inside the tree "
              + tree
              + ": it would be replicated and overwritten; choose one outside");
    }
    TreeGeneration local;
    TreeGeneration primary;
    try {
      local = TreeGeneration.of(tree);
      primary = fromPrimary.targetGeneration();
    } catch (IOException e) {
      throw new RejoinException(e.getMessage());
    }
    String newer = primary.refusesToPushTo(local);
    if (newer != null) {
      throw new RejoinException(
          "refusing to rejoin: this tree is at generation "
              + local.describe()
              + ", not older than the primary's "
              + primary.describe()
              + ", so it may be the newest copy; settle which node is the primary first");
    }
    return dryRun ? dryRun(local, primary) : pull(local, primary);
  }

  private Result dryRun(TreeGeneration local, TreeGeneration primary)
      throws RejoinException, InterruptedException {
    Delivery d = fromPrimary.mirrorFromTarget(quarantineRoot.resolve("dry-run"), true);
    if (!d.ok()) {
      throw new RejoinException("the pull from the primary failed: " + d.detail());
    }
    List<String> would = new ArrayList<>();
    for (String item : d.itemized()) {
      if (item.endsWith(" " + TreeGeneration.FILE_NAME)) {
        continue;
      }
      if (item.startsWith("*deleting ")) {
        would.add(item.substring("*deleting ".length()).strip());
      } else if (replacesAnExistingFile(item)) {
        would.add(item.substring(item.indexOf(' ') + 1));
      }
    }
    return new Result(null, would, local, primary, d);
  }

  /** {@code >f.st...... name}: a file the target has in another version, replaced by the pull. */
  private static boolean replacesAnExistingFile(String item) {
    return item.length() > 12
        && item.charAt(0) == '>'
        && item.charAt(1) == 'f'
        && !item.startsWith(">f+++++++++");
  }

  private Result pull(TreeGeneration local, TreeGeneration primary)
      throws RejoinException, InterruptedException {
    Path quarantine = newQuarantine();
    Delivery d = fromPrimary.mirrorFromTarget(quarantine, false);
    // The tree's old epoch is nothing to review or merge (the log names both generations).
    try {
      Files.deleteIfExists(quarantine.resolve(TreeGeneration.FILE_NAME));
    } catch (IOException e) {
      LOG.fine("cannot remove the old generation from " + quarantine + ": " + e.getMessage());
    }
    List<String> moved = listed(quarantine);
    if (!d.ok()) {
      throw new RejoinException(
          "the pull from the primary failed: "
              + d.detail()
              + (moved.isEmpty() ? "" : "; what it moved aside so far is in " + quarantine));
    }
    if (moved.isEmpty()) {
      deleteEmpty(quarantine);
      LOG.info("rejoin: " + tree + " now equals the primary's tree; nothing was moved aside");
      return new Result(null, moved, local, primary, d);
    }
    Path list = quarantine.resolveSibling(quarantine.getFileName() + ".list");
    try {
      Files.write(list, moved, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RejoinException("cannot write " + list + ": " + e.getMessage());
    }
    LOG.warning(
        "rejoin: "
            + moved.size()
            + " files that only this node had, or had in another version, were moved aside into "
            + quarantine
            + " (listed in "
            + list
            + "); review them and merge what is wanted into the primary");
    for (String p : moved.subList(0, Math.min(LOGGED, moved.size()))) {
      LOG.info("rejoin: moved aside " + p);
    }
    return new Result(quarantine, moved, local, primary, d);
  }

  private Path newQuarantine() throws RejoinException {
    String stamp = STAMP.format(clock.instant());
    try {
      Files.createDirectories(quarantineRoot);
      for (int i = 1; ; i++) {
        Path dir = quarantineRoot.resolve(i == 1 ? stamp : stamp + "-" + i);
        if (!Files.exists(dir)) {
          return Files.createDirectory(dir);
        }
      }
    } catch (IOException e) {
      throw new RejoinException(
          "cannot make a quarantine directory under " + quarantineRoot + ": " + e.getMessage());
    }
  }

  /** Every file, link and empty directory moved into {@code quarantine}, relative to it. */
  private static List<String> listed(Path quarantine) throws RejoinException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(quarantine)) {
      for (Path p : (Iterable<Path>) all.sorted()::iterator) {
        if (p.equals(quarantine)) {
          continue;
        }
        boolean emptyDir = false;
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> in = Files.list(p)) {
            emptyDir = in.findAny().isEmpty();
          }
          if (!emptyDir) {
            continue;
          }
        }
        out.add(quarantine.relativize(p) + (emptyDir ? "/" : ""));
      }
    } catch (IOException e) {
      throw new RejoinException("cannot list " + quarantine + ": " + e.getMessage());
    }
    return out;
  }

  private static void deleteEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.fine("cannot remove the empty " + dir + ": " + e.getMessage());
    }
  }
}

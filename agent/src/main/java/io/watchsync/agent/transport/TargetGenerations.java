package io.watchsync.agent.transport;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.generation.TreeGeneration;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Logger;

/** Reads a target's generation file without changing the target. */
final class TargetGenerations {
  private static final Logger LOG = Logger.getLogger("watchsync");

  /** Runs one rsync command and says how it went. */
  @FunctionalInterface
  interface Runner {
    Delivery run(List<String> cmd) throws InterruptedException;
  }

  /**
   * What reading gave: the generation, or why it could not be read (exactly one is set).
   *
   * @param generation the target's generation ({@link TreeGeneration#NONE} without a file)
   * @param unreadable why it could not be read; null when it was
   */
  record Read(TreeGeneration generation, Delivery unreadable) {}

  private final RsyncSettings settings;
  private final RsyncCommand command;
  private final Runner runner;
  private volatile boolean warnedWriteOnly;

  TargetGenerations(RsyncSettings settings, RsyncCommand command, Runner runner) {
    this.settings = settings;
    this.command = command;
    this.runner = runner;
  }

  /**
   * Reads the target's generation: a local target's file directly, a remote one's with one rsync
   * pull into a temporary directory. A target directory that does not exist yet, and a module that
   * is write only (logged once), count as no generation.
   */
  Read read() throws InterruptedException {
    if (settings.target().kind() == TargetUrl.Kind.LOCAL) {
      try {
        return new Read(TreeGeneration.of(settings.target().localPath()), null);
      } catch (IOException e) {
        return unreadable("cannot read the target's generation: " + e.getMessage());
      }
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("watchsync-generation-");
      Delivery fetched = runner.run(command.fetchGeneration(dir));
      if (fetched.ok()) {
        return new Read(TreeGeneration.read(dir.resolve(TreeGeneration.FILE_NAME)), null);
      }
      if (targetDirectoryMissing(fetched)) {
        // Not replicated to yet: the first run makes the directory.
        return new Read(TreeGeneration.NONE, null);
      }
      if (fetched.detail().contains("write only")) {
        if (!warnedWriteOnly) {
          warnedWriteOnly = true;
          LOG.warning(
              settings.target()
                  + ": the module is write only, so the split-brain guard cannot read the"
                  + " target's generation and is off for it");
        }
        return new Read(TreeGeneration.NONE, null);
      }
      return new Read(null, fetched);
    } catch (IOException e) {
      return unreadable("cannot read the target's generation: " + e.getMessage());
    } finally {
      deleteQuietly(dir);
    }
  }

  private static Read unreadable(String why) {
    return new Read(null, new Delivery(Verdict.FAILED, why, 0, 0, List.of()));
  }

  /** rsync could not enter the target directory because it does not exist (yet). */
  private static boolean targetDirectoryMissing(Delivery fetched) {
    String detail = fetched.detail();
    return fetched.verdict() == Verdict.RETRY_LATER
        && detail.contains("change_dir")
        && detail.contains("No such file or directory");
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.fine("cannot remove " + dir + ": " + e.getMessage());
    }
  }
}

package io.watchsync.agent.check;

import io.watchsync.agent.TargetTransports;
import io.watchsync.agent.callback.Callbacks;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.config.OnDiskRules;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.fs.DirectoryLister;
import io.watchsync.agent.inotify.InotifyLimits;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.source.SourceGuard;
import io.watchsync.agent.source.SourceMountException;
import io.watchsync.agent.transport.RsyncTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks that a configuration can run on this machine: rsync present, the source readable, the
 * inotify limits large enough for the tree, password files as rsync wants them, the state directory
 * writable, every target reachable. Changes nothing.
 */
public final class EnvironmentCheck {
  private final AgentConfig config;

  public EnvironmentCheck(AgentConfig config) {
    this.config = config;
  }

  /** Runs every check; never throws for a failed check, only reports it. */
  public List<Finding> run() throws InterruptedException {
    List<Finding> findings = new ArrayList<>();
    findings.add(rsync());
    boolean sourceOk = source(findings);
    if (sourceOk) {
      findings.add(inotifyLimit());
    }
    findings.add(stateDir());
    for (TargetConfig target : config.targets()) {
      if (target.passwordFile() != null) {
        findings.add(passwordFile(target));
      }
      findings.add(reachable(target));
    }
    for (int i = 0; i < config.callbacks().size(); i++) {
      CallbackConfig c = config.callbacks().get(i);
      if (c.tokenFile() != null) {
        findings.add(tokenFile(c, i));
      }
    }
    return findings;
  }

  private Finding rsync() throws InterruptedException {
    String binary = config.rsync().binary();
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String firstLine;
      try (InputStream in = p.getInputStream()) {
        firstLine =
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElse("")
                .trim();
      }
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Finding.fail("rsync", binary + " --version failed");
      }
      return Finding.ok("rsync", firstLine);
    } catch (IOException e) {
      return Finding.fail(
          "rsync", binary + " not found (install the rsync package): " + e.getMessage());
    }
  }

  private boolean source(List<Finding> findings) {
    Path source = config.source();
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      findings.add(Finding.fail("source", source + " is not a directory"));
      return false;
    }
    if (!Files.isReadable(source) || !Files.isExecutable(source)) {
      findings.add(Finding.fail("source", source + " is not readable by this user"));
      return false;
    }
    boolean empty;
    try (var entries = Files.list(source)) {
      empty = entries.findAny().isEmpty();
    } catch (IOException e) {
      findings.add(Finding.fail("source", source + " cannot be listed: " + e.getMessage()));
      return false;
    }
    SourceGuard guard;
    try {
      guard = SourceGuard.record(source, config.guards().sourceMount());
    } catch (SourceMountException e) {
      findings.add(Finding.fail("source", e.getMessage()));
      return false;
    }
    String where =
        source
            + " is "
            + (guard.wasMountPoint() ? "" : "in ")
            + guard.describe()
            + " (source_mount "
            + config.guards().sourceMount().word()
            + ")";
    if (empty) {
      findings.add(
          Finding.warn(
              "source",
              where
                  + " and empty: is its file system mounted? A full sync would delete everything on"
                  + " the targets; max_delete "
                  + config.guards().maxDelete().format()
                  + " holds it"));
    } else {
      findings.add(Finding.ok("source", where));
    }
    return true;
  }

  private Finding inotifyLimit() {
    InotifyLimits limits;
    try {
      limits = InotifyLimits.read();
    } catch (IOException | RuntimeException e) {
      return Finding.fail("inotify", "cannot read the limits under /proc/sys/fs/inotify: " + e);
    }
    long dirs;
    try {
      dirs =
          DirectoryLister.countDirectories(
              config.source(), ExcludeRules.forTree(config.excludes()));
    } catch (IOException | RuntimeException e) {
      return Finding.fail(
          "inotify", "cannot count the directories of the source: " + e.getMessage());
    }
    long max = limits.maxUserWatches();
    String counts =
        "the tree has "
            + dirs
            + " directories, fs.inotify.max_user_watches is "
            + max
            + " (shared by every inotify user of this uid)";
    if (dirs > max) {
      return Finding.fail(
          "inotify",
          counts
              + "; raise it: sysctl -w fs.inotify.max_user_watches="
              + suggested(dirs)
              + " and add it to /etc/sysctl.d/90-watchsync.conf");
    }
    if (dirs > max * 8 / 10) {
      return Finding.warn(
          "inotify",
          counts
              + "; little room to grow, consider fs.inotify.max_user_watches="
              + suggested(dirs));
    }
    return Finding.ok("inotify", counts);
  }

  private static long suggested(long dirs) {
    return Math.max(1_048_576, Long.highestOneBit(dirs) << 2);
  }

  private Finding stateDir() {
    Path dir = config.stateDir();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".check", ".tmp");
      Files.delete(probe);
      return Finding.ok("state", dir + " is writable");
    } catch (IOException e) {
      return Finding.fail("state", dir + " is not writable: " + e.getMessage());
    }
  }

  /**
   * The rules {@code run} refuses to start without (see {@link OnDiskRules}), then a warning for a
   * file its group can read: rsync accepts it, but the password is better kept to its owner.
   */
  private static Finding passwordFile(TargetConfig target) {
    Path file = target.passwordFile();
    String subject = target.name() + " password file";
    try {
      OnDiskRules.passwordFile(file);
      if (OnDiskRules.groupAccessible(file)) {
        return Finding.warn(
            subject,
            file + ": its group can read it; rsync accepts that, but chmod 600 keeps it private");
      }
      return Finding.ok(subject, file + " is private (mode 0600)");
    } catch (IllegalArgumentException e) {
      return Finding.fail(subject, e.getMessage());
    } catch (IOException e) {
      return Finding.fail(subject, file + ": " + e.getMessage());
    }
  }

  private static Finding tokenFile(CallbackConfig callback, int index) {
    String subject = "callback " + callback.redacted() + " token file";
    try {
      Callbacks.readToken(callback.tokenFile(), index);
      return Finding.ok(subject, callback.tokenFile() + " is private (mode 0600)");
    } catch (IOException e) {
      return Finding.fail(subject, e.getMessage());
    }
  }

  private Finding reachable(TargetConfig target) throws InterruptedException {
    RsyncTransport transport = TargetTransports.oneOff(config, target);
    Delivery d = transport.probe();
    String subject = target.name() + " (" + target.url() + ")";
    if (!d.ok()) {
      return Finding.fail(subject, d.detail());
    }
    Delivery generation = transport.checkGeneration();
    if (!generation.ok()) {
      return Finding.fail(subject, "reachable, but " + generation.detail());
    }
    return Finding.ok(
        subject,
        "reachable" + (d.detail().isEmpty() ? "" : ": " + d.detail()) + "; " + generation.detail());
  }
}

package io.watchsync.agent.transport;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.generation.TreeGeneration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the argument lists for rsync (and ssh) from a target's settings. Nothing here goes through
 * a shell: every element is one argument, and file names travel on standard input.
 */
public final class RsyncCommand {
  /** Each line rsync prints for a changed item: change summary, bytes sent, name, link target. */
  static final String OUT_FORMAT = "--out-format=%i %b %n%L";

  private final RsyncSettings settings;

  /** The target's shared ssh connection; null when there is none. Settings never change. */
  private final SshConnectionSharing sshSharing;

  /** Why an ssh target that could share its connection does not; null otherwise. */
  private final String sshSharingObstacle;

  public RsyncCommand(RsyncSettings settings) {
    this.settings = settings;
    Path socket = sharedSocket();
    this.sshSharingObstacle = socket == null ? null : SshConnectionSharing.obstacle(socket);
    this.sshSharing =
        socket == null || sshSharingObstacle != null ? null : new SshConnectionSharing(socket);
  }

  /**
   * Where an ssh target's shared connection would have its socket; null when sharing does not
   * apply: not an ssh target, no control directory, or a remote shell other than OpenSSH's.
   */
  private Path sharedSocket() {
    if (settings.target().kind() != TargetUrl.Kind.SSH
        || settings.sshControlDir() == null
        || !SshConnectionSharing.isOpenSsh(configuredShell())) {
      return null;
    }
    String targetKey = settings.source() + "\0" + settings.target().rsyncDestination();
    return SshConnectionSharing.socketFor(
        settings.sshControlDir(), configuredShell(), settings.target().sshHost(), targetKey);
  }

  /**
   * The command sending the NUL-separated paths given on standard input, all of which existed in
   * the source a moment ago.
   *
   * <p>{@code --relative} recreates missing parent directories. A path that vanishes before rsync
   * reads it is skipped ({@code --ignore-missing-args}): its deletion event queues it again, and
   * the next run deletes it on the target with {@link #delete()}. Without recursion {@code --dirs}
   * creates a directory entry without descending into it.
   */
  public List<String> send(boolean recursive) {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-a");
    if (recursive) {
      cmd.add("-r");
      cmd.add("--delete");
    } else {
      cmd.add("--dirs");
      // The watcher saw these files change: skip rsync's size-and-time quick check, which misses
      // a rewrite of the same size within the file system's timestamp granularity.
      cmd.add("--ignore-times");
    }
    cmd.add("--relative");
    cmd.add("--files-from=-");
    cmd.add("--from0");
    cmd.add("--ignore-missing-args");
    // A directory replaced by a file (or a link) must go, contents and all.
    cmd.add("--force");
    common(cmd, fileListExcludes(settings.excludeArgs()));
    cmd.add(sourceArg());
    cmd.add(settings.target().rsyncDestination());
    return cmd;
  }

  /**
   * The command deleting on the target the paths missing in the source. Its standard input is an
   * include list (NUL-separated anchored patterns, see {@link DeletionList}) naming each path and
   * its ancestors; everything else is excluded, so rsync visits only those directories and {@code
   * --delete} removes there only what the list names. This works with every rsync, unlike {@code
   * --delete-missing-args}, which receivers with the 2025 file-list hardening reject ("invalid file
   * mode 00").
   */
  public List<String> delete() {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-a");
    cmd.add("--delete");
    cmd.add("--force");
    // Files vanishing in the directories it visits are I/O errors to rsync, which then skips
    // every deletion of the run (and exits 24, "vanished", as if all went well).
    cmd.add("--ignore-errors");
    common(cmd, settings.excludeArgs());
    cmd.add("--from0");
    cmd.add("--include-from=-");
    cmd.add("--exclude=*");
    cmd.add(sourceArg());
    cmd.add(settings.target().rsyncDestination());
    return cmd;
  }

  /**
   * The exclude arguments for a run given a file list. rsync applies filters to each listed name
   * but not to the parent directories it implies, so with {@code --exclude=cache/} a listed {@code
   * cache/file} would still be sent (with its directory). Each {@code --exclude=P} therefore gets a
   * companion {@code --exclude=P/**} that excludes everything below a matching directory, as a
   * recursive run would by never descending into it.
   */
  static List<String> fileListExcludes(List<String> excludeArgs) {
    List<String> out = new ArrayList<>();
    for (String arg : excludeArgs) {
      out.add(arg);
      if (arg.startsWith("--exclude=") && !arg.endsWith("**")) {
        out.add(arg + (arg.endsWith("/") ? "**" : "/**"));
      }
    }
    return out;
  }

  /** The command making the whole target equal to the source (excluded paths left alone). */
  public List<String> fullSync() {
    return mirror(true, List.of());
  }

  /**
   * A full sync that sends what is new or changed and deletes nothing on the target, not even a
   * directory that the source replaced with a file.
   */
  public List<String> fullSyncWithoutDeletions() {
    return mirror(false, List.of());
  }

  /**
   * A full sync to a target behind this tree's generation (its first since a takeover): as {@link
   * #fullSync()} (or, without {@code delete}, {@link #fullSyncWithoutDeletions()}), but what it
   * deletes or overwrites on the target is moved into {@code keepDir} there (rsync's {@code
   * --backup-dir}, relative to the target's tree), and the generation file is not sent: the target
   * stays behind, and the next full sync keeps what it replaces too, until {@link
   * #sendGenerationFile()} after a complete run.
   */
  public List<String> fullSyncKeepingReplaced(boolean delete, String keepDir) {
    return mirror(
        delete,
        List.of("--backup", "--backup-dir=" + keepDir, "--exclude=/" + TreeGeneration.FILE_NAME));
  }

  /** The command sending the tree's generation file alone (nothing else, nothing deleted). */
  public List<String> sendGenerationFile() {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-a");
    // Always sent: two generation lines of one length, written in one clock tick, look alike.
    cmd.add("--ignore-times");
    common(cmd, List.of("--include=/" + TreeGeneration.FILE_NAME, "--exclude=*"));
    cmd.add(sourceArg());
    cmd.add(settings.target().rsyncDestination());
    return cmd;
  }

  /** A full sync; {@code extra} comes right after {@code -a}, before the configured filters. */
  private List<String> mirror(boolean delete, List<String> extra) {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-a");
    cmd.addAll(extra);
    if (delete) {
      cmd.add("--delete");
      // A directory replaced by a file must go, contents and all. Without deletions it stays.
      cmd.add("--force");
    }
    common(cmd, settings.excludeArgs());
    cmd.add(sourceArg());
    cmd.add(settings.target().rsyncDestination());
    return cmd;
  }

  /**
   * The full sync's dry run: changes nothing, prints what it would change (deletions as {@code
   * *deleting} lines) and the statistics ({@code Number of files: N}), from which {@link
   * DeletionCount} weighs the deletions against the target.
   */
  public List<String> fullSyncDryRun() {
    List<String> cmd = fullSync();
    cmd.add(1, "--dry-run");
    cmd.add(2, "--stats");
    return cmd;
  }

  /**
   * The command making the local tree (the source) equal to the target's tree, the other way round
   * from every other command here: it turns an old primary into a backup of the new one. What it
   * would delete or overwrite locally is moved into {@code backupDir} instead (rsync's {@code
   * --backup-dir}), under its own path; excluded paths are left alone.
   */
  public List<String> mirrorFromTarget(Path backupDir, boolean dryRun) {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-a");
    if (dryRun) {
      cmd.add("--dry-run");
    }
    cmd.add("--delete");
    cmd.add("--force");
    cmd.add("--backup");
    cmd.add("--backup-dir=" + backupDir);
    common(cmd, settings.excludeArgs());
    cmd.add(settings.target().rsyncDestination());
    cmd.add(sourceArg());
    return cmd;
  }

  /**
   * The command fetching the target's generation file into {@code dir} (nothing fetched when the
   * target has none). It changes nothing on the target.
   */
  public List<String> fetchGeneration(Path dir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("-s");
    cmd.add("--ignore-missing-args");
    connection(cmd, true);
    cmd.addAll(connectionExtraArgs());
    cmd.add(settings.target().rsyncDestination() + TreeGeneration.FILE_NAME);
    cmd.add(dir.toString() + "/");
    return cmd;
  }

  /**
   * The command listing only the destination directory itself: it logs in and checks the directory
   * exists without reading a possibly huge listing or changing anything.
   */
  public List<String> probe() {
    List<String> cmd = new ArrayList<>();
    cmd.add(settings.binary());
    cmd.add("--list-only");
    cmd.add("--dirs");
    cmd.add("--exclude=*");
    cmd.add("-s");
    connection(cmd, true);
    cmd.addAll(connectionExtraArgs());
    cmd.add(settings.target().rsyncDestination());
    return cmd;
  }

  /**
   * The extra options that choose where a connection comes from or goes to ({@code --address},
   * {@code --port}, {@code -4}, {@code -6}), for the commands that take no other extra option: a
   * daemon that allows only the bound address (a cluster's floating address) refuses the generation
   * check and the probe when they come from another one.
   */
  private List<String> connectionExtraArgs() {
    List<String> extra = settings.extraArgs();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < extra.size(); i++) {
      String arg = extra.get(i);
      if (arg.equals("--address") || arg.equals("--port")) {
        kept.add(arg);
        if (i + 1 < extra.size()) {
          kept.add(extra.get(++i));
        }
      } else if (arg.startsWith("--address=")
          || arg.startsWith("--port=")
          || List.of("-4", "-6", "--ipv4", "--ipv6").contains(arg)) {
        kept.add(arg);
      }
    }
    return kept;
  }

  /** The remote shell command for ssh targets, as rsync's {@code -e} value. */
  public String remoteShell() {
    String shell = configuredShell();
    return sshSharing == null ? shell : sshSharing.applyTo(shell);
  }

  /** The shared ssh connection of an ssh target, or null (see {@link #sharedSocket}). */
  public SshConnectionSharing sshSharing() {
    return sshSharing;
  }

  /**
   * Why an ssh target that could share its connection does not (its control socket cannot be made),
   * or null: sharing is on, or does not apply.
   */
  public String sshSharingObstacle() {
    return sshSharingObstacle;
  }

  /** The command that ends the shared connection's master, or null when there is none. */
  public List<String> closeSharedConnection() {
    return sshSharing == null
        ? null
        : sshSharing.exitCommand(configuredShell(), settings.target().sshHost());
  }

  /** The target's own {@code ssh} setting, or the default remote shell. */
  private String configuredShell() {
    if (settings.sshCommand() != null && !settings.sshCommand().isBlank()) {
      return settings.sshCommand().strip();
    }
    String shell = "ssh -o BatchMode=yes";
    long connect = seconds(settings.connectTimeout());
    if (connect > 0) {
      shell += " -o ConnectTimeout=" + connect;
    }
    return shell;
  }

  /**
   * The command running {@code /bin/sh -s} where the target lives: here for a local target, over
   * ssh for an ssh target. The script comes on standard input.
   */
  public List<String> shell() {
    return switch (settings.target().kind()) {
      case LOCAL -> List.of("/bin/sh", "-s");
      case SSH -> {
        List<String> cmd = new ArrayList<>(splitShellWords(remoteShell()));
        cmd.add(settings.target().sshHost());
        cmd.add("/bin/sh -s");
        yield cmd;
      }
      case DAEMON -> throw new IllegalStateException("an rsync daemon target cannot run commands");
    };
  }

  private void common(List<String> cmd, List<String> excludeArgs) {
    cmd.add("-s");
    cmd.add("--numeric-ids");
    // rsync's quick check compares modification times to the whole second: a file rewritten
    // at the same size within the second after a run read it would be skipped and stay stale.
    // Nanosecond comparison closes that hole (rsync >= 3.1.3 on both ends). A target whose file
    // system keeps only seconds can take "--modify-window=0" in the extra arguments (the last
    // value wins), at that risk.
    cmd.add("--modify-window=-1");
    // The I/O timeout of transfers is watched from outside (see ProcessRun): --timeout makes
    // every run's exit slower.
    connection(cmd, false);
    if (settings.compress()) {
      cmd.add("-z");
    }
    cmd.addAll(excludeArgs);
    cmd.addAll(settings.extraArgs());
    cmd.add(OUT_FORMAT);
  }

  private void connection(List<String> cmd, boolean ioTimeout) {
    long timeout = seconds(settings.timeout());
    if (ioTimeout && timeout > 0) {
      cmd.add("--timeout=" + timeout);
    }
    switch (settings.target().kind()) {
      case DAEMON -> {
        // Without it, Nagle's algorithm meets the daemon's delayed ACKs at every turn of rsync's
        // small start-up and end-of-run exchanges: a one-file run to a daemon took ~90 ms on
        // loopback instead of ~8 ms, the whole of the agent's latency floor.
        cmd.add("--sockopts=TCP_NODELAY");
        long connect = seconds(settings.connectTimeout());
        if (connect > 0) {
          cmd.add("--contimeout=" + connect);
        }
        if (settings.passwordFile() != null) {
          cmd.add("--password-file=" + settings.passwordFile());
        }
      }
      case SSH -> {
        cmd.add("-e");
        cmd.add(remoteShell());
      }
      case LOCAL -> {}
    }
  }

  private String sourceArg() {
    String s = settings.source().toString();
    return s.endsWith("/") ? s : s + "/";
  }

  private static long seconds(Duration d) {
    if (d.isZero()) {
      return 0;
    }
    return Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /**
   * Splits a command the way rsync splits its {@code -e} value: on white space, with single and
   * double quotes grouping words (and removed), no other shell syntax.
   */
  static List<String> splitShellWords(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in ssh command: " + command);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}

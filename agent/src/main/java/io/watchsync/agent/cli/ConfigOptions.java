package io.watchsync.agent.cli;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.config.OnDiskRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the configuration comes from: a file, or the quick form on the command line. */
public final class ConfigOptions {
  static final Path DEFAULT_CONFIG = Path.of("/etc/watchsync/watchsync.yml");

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (default: ${DEFAULT-VALUE} unless --source is given).",
      defaultValue = "/etc/watchsync/watchsync.yml")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description =
          "Quick form: the tree to replicate; no configuration file is read (default: none).")
  Path source;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description =
          "Quick form, repeatable: rsync://user@host[:port]/module[/path], user@host:/path (ssh)"
              + " or /local/dir (default: none).")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Quick form: rsync daemon password file, mode 0600 (default: none).")
  Path passwordFile;

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description = "Quick form, repeatable: rsync-style exclude pattern (default: none).")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where journals are kept, overriding the file (default: the file's state_dir, or"
              + " /var/lib/watchsync).")
  Path stateDir;

  @Option(
      names = "--no-initial-sync",
      description =
          "Skip the full sync at start when the last stop was clean (overrides the file).")
  boolean noInitialSync;

  /** Where the configuration came from, for reports. */
  String describe() {
    return source != null ? "command line (quick form)" : config.toString();
  }

  /**
   * Reads the file, or builds the quick form, and refuses a source or password file that could
   * never work on this machine; every problem is a {@link ConfigException}.
   */
  AgentConfig load() throws ConfigException {
    AgentConfig loaded;
    if (source != null) {
      if (targets.isEmpty()) {
        throw new ConfigException("--source needs at least one --target");
      }
      loaded =
          OnDiskRules.checkQuickForm(
              AgentConfig.quick(source, targets, passwordFile, excludes), passwordFile);
    } else {
      if (!targets.isEmpty() || passwordFile != null || !excludes.isEmpty()) {
        throw new ConfigException(
            "--target, --password-file and --exclude go with --source (the quick form);"
                + " with a configuration file, set them there");
      }
      loaded = ConfigLoader.loadForRun(config);
    }
    if (stateDir != null) {
      loaded = loaded.withStateDir(stateDir);
    }
    if (noInitialSync) {
      loaded = loaded.withInitialSync(false);
    }
    return loaded;
  }
}

package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.config.OnDiskRules;
import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.log.Logging;
import io.watchsync.agent.rejoin.Rejoin;
import io.watchsync.agent.rejoin.RejoinException;
import io.watchsync.agent.transport.RsyncSettings;
import io.watchsync.agent.transport.RsyncTransport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code watchsync rejoin}: turns an old primary's tree into a backup of the new primary's. */
@Command(
    name = "rejoin",
    mixinStandardHelpOptions = true,
    description = {
      "Makes this node's tree (the configuration's source, or --source) equal to the new"
          + " primary's with one rsync pull, a delta rather than a re-copy, so that this node can"
          + " serve as its backup. Whatever the pull would delete or overwrite here is moved into a"
          + " dated directory under --quarantine instead, and listed, for you to review and merge:"
          + " nothing is silently lost. Refused when this tree's generation is not older than the"
          + " primary's. Stop this node's agent and keep its rsync daemon closed meanwhile.",
      "Exit 0 when the tree equals the primary's, 1 when refused or the pull failed, 2 on a usage"
          + " or configuration error."
    })
public final class RejoinCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "URL",
      description =
          "The new primary's tree: rsync://user@host[:port]/module[/path], user@host:/path (ssh)"
              + " or /local/dir.")
  String from;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "rsync daemon password file for --from, mode 0600 (default: none).")
  Path passwordFile;

  @Option(
      names = "--ssh",
      paramLabel = "COMMAND",
      description = "Remote shell for an ssh --from (default: ssh -o BatchMode=yes).")
  String ssh;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Configuration file whose source, state_dir, excludes and rsync settings apply, all but"
              + " an --address in rsync.extra_args: that is the primary's (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "/etc/watchsync/watchsync.yml")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "This node's tree, instead of a configuration file (default: none).")
  Path source;

  @Option(
      names = "--quarantine",
      paramLabel = "DIR",
      description =
          "Where the dated quarantine directories go; outside the tree (default: the state"
              + " directory's quarantine/, /var/lib/watchsync/quarantine).")
  Path quarantine;

  @Option(
      names = "--dry-run",
      description = "Change nothing; list what would be moved aside (default: off).")
  boolean dryRun;

  @Override
  public Integer call() throws ConfigException, AgentException, InterruptedException {
    Base base = base();
    Path tree = base.tree();
    TargetUrl primary;
    try {
      primary = TargetUrl.parse(from);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--from " + TargetUrl.redact(from) + ": " + e.getMessage());
    }
    if (passwordFile != null) {
      try {
        OnDiskRules.passwordFile(passwordFile.toAbsolutePath());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--password-file " + e.getMessage());
      }
    }
    AgentConfig.Rsync rsync = base.rsync();
    RsyncTransport transport =
        new RsyncTransport(
            new RsyncSettings(
                rsync.binary(),
                tree,
                primary,
                passwordFile == null ? null : passwordFile.toAbsolutePath(),
                ssh,
                ExcludeRules.forTree(base.excludes()).rsyncArgs(),
                rsync.timeout(),
                rsync.connectTimeout(),
                rsync.compress(),
                withoutBindAddress(rsync.extraArgs()),
                null));
    Path root = quarantine != null ? quarantine : base.stateDir().resolve("quarantine");
    // One line per event, with the syslog priority under journald, as the agent's own log.
    Logging.configure(Level.INFO, System.err);
    Rejoin.Result r;
    try {
      r = new Rejoin(tree, transport, root, Clock.systemUTC()).run(dryRun);
    } catch (RejoinException e) {
      throw new AgentException(e.getMessage(), e);
    }
    report(tree, r);
    return ExitCodes.OK;
  }

  /**
   * The configuration's extra rsync options less {@code --address}: it names the address the agent
   * pushes from, under a floating address the primary's, which a rejoining node does not hold;
   * binding to it would fail every pull.
   */
  static List<String> withoutBindAddress(List<String> extraArgs) {
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < extraArgs.size(); i++) {
      String arg = extraArgs.get(i);
      if (arg.equals("--address")) {
        i++;
      } else if (!arg.startsWith("--address=")) {
        kept.add(arg);
      }
    }
    return kept;
  }

  /** The tree and the settings that apply to it: the configuration's, or the defaults. */
  private record Base(Path tree, Path stateDir, List<String> excludes, AgentConfig.Rsync rsync) {}

  private Base base() throws ConfigException {
    if (source != null) {
      Path tree = source.toAbsolutePath().normalize();
      try {
        OnDiskRules.sourceDirectory(tree);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--source " + e.getMessage());
      }
      return new Base(tree, AgentConfig.DEFAULT_STATE_DIR, List.of(), AgentConfig.Rsync.DEFAULT);
    }
    AgentConfig c = ConfigLoader.load(config);
    return new Base(c.source(), c.stateDir(), c.excludes(), c.rsync());
  }

  private void report(Path tree, Rejoin.Result r) {
    PrintWriter out = spec.commandLine().getOut();
    String generations =
        " (generation " + r.local().describe() + " here, " + r.primary().describe() + " there)";
    if (dryRun) {
      out.println(
          tree
              + ": a rejoin would move aside "
              + r.movedAside().size()
              + (r.movedAside().size() == 1 ? " file" : " files")
              + generations
              + (r.movedAside().isEmpty() ? "" : ":"));
    } else if (r.quarantine() == null) {
      out.println(tree + " now equals the primary's tree; nothing was moved aside" + generations);
    } else {
      out.println(
          tree
              + " now equals the primary's tree; "
              + r.movedAside().size()
              + (r.movedAside().size() == 1 ? " file" : " files")
              + " only this node had, or had in another version, moved aside into "
              + r.quarantine()
              + generations
              + ":");
    }
    for (String p : r.movedAside()) {
      out.println("  " + p);
    }
  }
}

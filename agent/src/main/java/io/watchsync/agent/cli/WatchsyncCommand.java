package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.status.StatusException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code watchsync}: the top-level command. */
@Command(
    name = "watchsync",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Replicates a directory tree to backup servers in real time (inotify + rsync).",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      WatchCommand.class,
      StatusCommand.class,
      SyncNowCommand.class,
      GenerationCommand.class,
      RejoinCommand.class,
      ImportSersyncCommand.class,
      VersionCommand.class,
      CompletionCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:runtime failure (a target unreachable in check, the watch failed, …)",
      "2:usage or configuration error"
    })
public final class WatchsyncCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** The testable entry point: parses {@code args}, runs the command, returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new WatchsyncCommand());
    cli.setOut(out);
    cli.setErr(err);
    // "@DIR" is how inotifywait excludes a directory, so an @ argument is never a file of
    // arguments to read.
    cli.setExpandAtFiles(false);
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("watchsync: " + e.getMessage());
          if (e instanceof ConfigException) {
            return ExitCodes.USAGE;
          }
          if (e instanceof AgentException || e instanceof StatusException) {
            return ExitCodes.FAILURE;
          }
          e.printStackTrace(cmd.getErr());
          return ExitCodes.FAILURE;
        });
    return cli.execute(args);
  }

  /** Without a subcommand there is nothing to do: show how to use it, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("watchsync: a command is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}

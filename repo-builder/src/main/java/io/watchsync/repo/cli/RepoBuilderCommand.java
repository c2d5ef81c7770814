package io.watchsync.repo.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code repo-builder}: the top-level command. */
@Command(
    name = "repo-builder",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Builds YUM repositories and the watchsync RPMs.",
    subcommands = {
      CollectCommand.class,
      IndexCommand.class,
      RepofileCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      PackageCommand.class,
      MirrorCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:runtime failure, or input rejected (a broken package, a failed download, …)",
      "2:usage or configuration error"
    })
public final class RepoBuilderCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** The testable entry point: parses {@code args}, runs the command, returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new RepoBuilderCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          // A bug, not bad input: say what happened on one line rather than a stack trace.
          commandLine.getErr().println("repo-builder: internal error: " + e);
          return ExitCodes.FAILURE;
        });
    return cli.execute(args);
  }

  /** Without a subcommand there is nothing to do: show how to use it, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("repo-builder: a command is required");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }
}

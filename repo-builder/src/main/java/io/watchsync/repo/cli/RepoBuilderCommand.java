package io.watchsync.repo.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code repo-builder}: the top-level command. */
@Command(
    name = "repo-builder",
    mixinStandardHelpOptions = true,
    description = "Builds YUM repositories and the watchsync RPMs.",
    subcommands = {
      CollectCommand.class,
      IndexCommand.class,
      RepofileCommand.class,
      KeygenCommand.class,
      SignCommand.class,
      PackageCommand.class,
      MirrorCommand.class
    })
public final class RepoBuilderCommand implements Runnable {
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

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}

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

  /** Java's rule against basic proxy logins through a tunnel; the user's setting is kept. */
  static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

  public static void main(String[] args) {
    // A proxy in front of an https upstream (a distribution's CDN behind a corporate proxy) asks
    // for its login on the CONNECT that opens the tunnel, and proxies ask for Basic. Java
    // refuses to answer with Basic there unless told otherwise, so proxy_username/proxy_password
    // of a .repo file would do nothing for https; dnf sends them. The login is only ever given
    // to a proxy that asks (see Transport), and the runtime reads the rule once, before the first
    // connection: hence here.
    if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
      System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
    }
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

package io.watchsync.agent.cli;

import io.watchsync.agent.check.EnvironmentCheck;
import io.watchsync.agent.check.Finding;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code watchsync check}: validates the configuration and the environment. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validates the configuration and the machine: rsync present, source readable, inotify"
          + " limits against the tree's directory count, password files mode 0600, state"
          + " directory writable, each target reachable. Changes nothing.",
      "Exit 0 when all is well, 1 when a check failed, 2 when the configuration is invalid or"
          + " names what `run` refuses to start with (a source that is not a directory, a"
          + " password file rsync refuses)."
    })
public final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws ConfigException, InterruptedException {
    AgentConfig config = options.load();
    PrintWriter out = spec.commandLine().getOut();
    out.println("OK    configuration: " + options.describe());
    List<Finding> findings = new EnvironmentCheck(config).run();
    long failed = 0;
    for (Finding f : findings) {
      out.println(f.line());
      if (f.status() == Finding.Status.FAIL) {
        failed++;
      }
    }
    out.println(failed == 0 ? "all checks passed" : failed + " check(s) failed");
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}

package io.watchsync.agent.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code watchsync completion}: the bash completion script, made from the commands themselves. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the bash completion script for watchsync: its commands and their options.",
      "The packages install it as /usr/share/bash-completion/completions/watchsync; to try it"
          + " in a shell: source <(watchsync completion)"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(script(spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /**
   * The script for the command tree under {@code root}. bash sources it and never runs it, so it
   * goes without picocli's {@code #!} line: a packaged file with one must be executable.
   */
  static String script(picocli.CommandLine root) {
    String script = AutoComplete.bash(root.getCommandName(), root);
    return script.startsWith("#!") ? script.substring(script.indexOf('\n') + 1) : script;
  }
}

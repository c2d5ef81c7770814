package io.watchsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every option of every command says its default in its help, so an operator never has to read the
 * source to learn what happens when an option is left out. A new option without one fails the build
 * here.
 */
class HelpTest {

  /**
   * The options and optional parameters of {@code spec} and its subcommands whose description names
   * no default: neither picocli's {@code ${DEFAULT-VALUE}} nor an explicit "(default: …)". Flags
   * (options taking no value) and the help options are exempt: their default is "off".
   */
  static List<String> withoutDefault(CommandSpec spec) {
    List<String> missing = new ArrayList<>();
    List<ArgSpec> args = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (!option.usageHelp()
          && !option.versionHelp()
          && option.arity().max() > 0
          && !option.required()) {
        args.add(option);
      }
    }
    for (PositionalParamSpec parameter : spec.positionalParameters()) {
      if (!parameter.required()) {
        args.add(parameter);
      }
    }
    for (ArgSpec arg : args) {
      String description = String.join(" ", arg.description());
      String name =
          arg instanceof OptionSpec o ? o.longestName() : ((PositionalParamSpec) arg).paramLabel();
      boolean picocliDefault = description.contains("${DEFAULT-VALUE}");
      if (!picocliDefault && !description.contains("(default: ")) {
        missing.add(spec.qualifiedName() + " " + name + ": no default in \"" + description + "\"");
      } else if (picocliDefault && arg.defaultValue() == null && arg.initialValue() == null) {
        missing.add(spec.qualifiedName() + " " + name + ": ${DEFAULT-VALUE} but no default value");
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      if (!sub.getCommandSpec().equals(spec)) {
        missing.addAll(withoutDefault(sub.getCommandSpec()));
      }
    }
    return missing;
  }

  private static CommandSpec watchsync() {
    return new CommandLine(new WatchsyncCommand()).getCommandSpec();
  }

  @Test
  void everyOptionOfEveryCommandNamesItsDefault() {
    assertEquals(List.of(), withoutDefault(watchsync()));
  }

  @Test
  void anOptionWithoutADefaultInItsHelpIsCaught() {
    CommandSpec bad = CommandSpec.create().name("bad");
    bad.addOption(
        OptionSpec.builder("--size")
            .paramLabel("N")
            .description("How big.")
            .type(int.class)
            .build());
    bad.addOption(OptionSpec.builder("--quiet").description("Say less.").build());
    CommandSpec root = CommandSpec.create().name("watchsync");
    root.addSubcommand("bad", new CommandLine(bad));
    assertEquals(List.of("watchsync bad --size: no default in \"How big.\""), withoutDefault(root));
  }

  @Test
  void everyCommandsHelpShowsTheDefaultsFilledIn() {
    List<String> commands = new ArrayList<>(List.of(""));
    commands.addAll(watchsync().subcommands().keySet());
    for (String command : commands) {
      StringWriter out = new StringWriter();
      String[] args =
          command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
      int code =
          WatchsyncCommand.run(
              new PrintWriter(out, true), new PrintWriter(new StringWriter()), args);
      assertEquals(0, code, command);
      String help = out.toString().replaceAll("\\s+", " ");
      assertFalse(help.contains("${"), command + ": " + help);
      assertFalse(help.contains("default: null"), command + ": " + help);
      if (command.equals("run") || command.equals("check")) {
        assertTrue(
            help.contains("(default: /etc/watchsync/watchsync.yml unless --source is given)"),
            help);
      }
    }
  }

  @Test
  void theTopLevelHelpListsEveryCommand() {
    StringWriter out = new StringWriter();
    WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()), "--help");
    for (String command : watchsync().subcommands().keySet()) {
      assertTrue(out.toString().contains("  " + command + " "), command + " in:\n" + out);
    }
  }
}

package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.generation.GenerationFile;
import io.watchsync.agent.generation.TreeGeneration;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code watchsync generation}: shows or raises the replicated tree's generation. */
@Command(
    name = "generation",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the generation of the replicated tree: a number kept in "
          + TreeGeneration.FILE_NAME
          + " at its top, raised each time a backup takes over as primary. An agent never pushes"
          + " to a target whose tree has a newer generation than its own (the split-brain guard).",
      "With --raise, raises it by one: run it on a backup that becomes the primary, before its"
          + " agent starts.",
      "Exit 0 on success, 1 when the generation file cannot be read or written, 2 on a"
          + " configuration error."
    })
public final class GenerationCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file whose source is the tree (default: ${DEFAULT-VALUE}).",
      defaultValue = "/etc/watchsync/watchsync.yml")
  Path config;

  @Option(
      names = "--source",
      paramLabel = "DIR",
      description = "The tree itself, instead of the configuration's source (default: none).")
  Path source;

  @Option(
      names = "--raise",
      description = "Raise the generation by one, atomically (default: only show it).")
  boolean raise;

  @Option(
      names = "--node",
      paramLabel = "NAME",
      description = "The node recorded as having raised it (default: this host's name).")
  String node;

  @Override
  public Integer call() throws ConfigException, AgentException {
    Path tree = source != null ? source.toAbsolutePath().normalize() : configuredSource();
    try {
      if (raise) {
        TreeGeneration before = TreeGeneration.of(tree);
        TreeGeneration after = GenerationFile.raise(tree, node != null ? node : hostName());
        spec.commandLine()
            .getOut()
            .println(
                tree + ": generation raised from " + before.number() + " to " + after.describe());
      } else {
        spec.commandLine()
            .getOut()
            .println(tree + ": generation " + TreeGeneration.of(tree).describe());
      }
      return ExitCodes.OK;
    } catch (IOException e) {
      throw new AgentException(e.getMessage(), e);
    }
  }

  private Path configuredSource() throws ConfigException {
    return ConfigLoader.load(config).source();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }
}

package io.watchsync.agent.cli;

import io.watchsync.agent.Agent;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.log.Logging;
import io.watchsync.agent.replicate.ReplicationListener;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code watchsync run}: the daemon, in the foreground. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Watches the source tree and replicates every change to each target until stopped.",
      "SIGTERM or SIGINT stop it cleanly: runs in flight finish and the journal is written."
    })
public final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "error, warn, info or debug, overriding the file (default: the file's log_level, or"
              + " info).")
  String logLevel;

  @Option(
      names = {"-v", "--verbose"},
      description = "Log every file sent (same as --log-level debug).")
  boolean verbose;

  @Override
  public Integer call() throws ConfigException, AgentException, InterruptedException {
    AgentConfig config = options.load();
    Level level;
    try {
      level =
          Logging.parseLevel(verbose ? "debug" : logLevel != null ? logLevel : config.logLevel());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--log-level: " + e.getMessage());
    }
    Logging.configure(level, System.err);
    Agent agent = Agent.start(config, ReplicationListener.NONE);
    Signal.handle(new Signal("TERM"), s -> stopInBackground(agent));
    Signal.handle(new Signal("INT"), s -> stopInBackground(agent));
    String fatal = agent.awaitStop();
    agent.close();
    if (fatal != null) {
      throw new AgentException(fatal);
    }
    return WatchsyncCommand.OK;
  }

  private static void stopInBackground(Agent agent) {
    Thread t = new Thread(agent::close, "watchsync-stop");
    t.start();
  }
}

package io.watchsync.agent.cli;

import io.watchsync.agent.Agent;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.log.Logging;
import io.watchsync.agent.replicate.ReplicationListener;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
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
      "SIGTERM or SIGINT stop it cleanly: runs in flight finish and the journal is written.",
      "SIGHUP reloads the configuration file without losing pending changes; an invalid file is"
          + " logged and the running configuration stays."
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger("watchsync");

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
    ExecutorService reloads =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "watchsync-reload");
              t.setDaemon(true);
              return t;
            });
    // Installed before the start, so a signal that comes while the agent starts is not the
    // default action (the end of the process, no clean stop): a reload asked for then is the
    // configuration just read, a stop is carried out as soon as the agent runs.
    AtomicReference<Agent> running = new AtomicReference<>();
    AtomicBoolean stopAsked = new AtomicBoolean();
    Signal.handle(new Signal("HUP"), s -> reloads.execute(() -> reload(running.get())));
    Signal.handle(new Signal("TERM"), s -> stop(stopAsked, running));
    Signal.handle(new Signal("INT"), s -> stop(stopAsked, running));
    Agent agent = Agent.start(config, ReplicationListener.NONE);
    running.set(agent);
    if (stopAsked.get()) {
      stopInBackground(agent);
    }
    String fatal = agent.awaitStop();
    agent.close();
    if (fatal != null) {
      throw new AgentException(fatal);
    }
    return ExitCodes.OK;
  }

  /** SIGHUP: reads the configuration again; a bad one is one error line, and nothing changes. */
  private void reload(Agent agent) {
    if (agent == null) {
      LOG.warning("SIGHUP while starting: the configuration just read is already in force");
      return;
    }
    LOG.info("SIGHUP: reloading " + options.describe());
    try {
      AgentConfig next = options.load();
      agent.reload(next);
      if (!verbose && logLevel == null) {
        Logger.getLogger("watchsync").setLevel(Logging.parseLevel(next.logLevel()));
      }
    } catch (ConfigException | AgentException e) {
      LOG.severe("reload failed, the running configuration stays in force: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "reload failed, the running configuration stays in force: " + e, e);
    }
  }

  /** SIGTERM or SIGINT: stops the agent, or has it stopped as soon as it has started. */
  private static void stop(AtomicBoolean stopAsked, AtomicReference<Agent> running) {
    stopAsked.set(true);
    Agent agent = running.get();
    if (agent != null) {
      stopInBackground(agent);
    }
  }

  private static void stopInBackground(Agent agent) {
    Thread t = new Thread(agent::close, "watchsync-stop");
    t.start();
  }
}

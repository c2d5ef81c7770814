package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.DurationParser;
import io.watchsync.agent.status.FullSyncWait;
import io.watchsync.agent.status.StatusClient;
import io.watchsync.agent.status.StatusException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code watchsync sync-now}: asks the running agent for a full sync. */
@Command(
    name = "sync-now",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running agent for a full sync of every target (or of one with --target), to"
          + " repair a replica changed by hand. It starts once the runs in flight finish.",
      "With --allow-deletes, a full sync held because it would delete more than max_delete runs"
          + " and deletes, this once.",
      "With --wait, waits until a full sync that started after the request completed on every"
          + " target asked for: every change made before the command is then on them (drain"
          + " before a planned switchover, writes paused).",
      "Exit 0 when the agent accepted (with --wait: when the full syncs are done), 1 when it"
          + " cannot be reached, has no such target, or (with --wait) a target is held, the"
          + " source is lost or the timeout passed."
    })
public final class SyncNowCommand implements Callable<Integer> {
  @Mixin AgentAddress address;
  @Spec CommandSpec spec;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "NAME",
      description =
          "Only this target (its name, as in the configuration or `watchsync status`)"
              + " (default: every target).")
  String target;

  @Option(
      names = "--allow-deletes",
      description =
          "Let that full sync delete beyond the target's max_delete, once: releases a full sync"
              + " held by the deletion budget, after you checked the source.")
  boolean allowDeletes;

  @Option(
      names = "--wait",
      description =
          "Wait until the full sync is done on every target asked for, printing one line each.")
  boolean await;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description = "How long --wait waits at most, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Override
  public Integer call()
      throws ConfigException, AgentException, StatusException, InterruptedException {
    if (await) {
      Duration limit;
      try {
        limit = DurationParser.parse(timeout);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--timeout: " + e.getMessage());
      }
      for (String line :
          new FullSyncWait(new StatusClient(address.resolve())).run(target, allowDeletes, limit)) {
        spec.commandLine().getOut().println(line);
      }
      return ExitCodes.OK;
    }
    StatusClient.Answer a = new StatusClient(address.resolve()).syncNow(target, allowDeletes);
    if (a.code() != 202) {
      throw new AgentException(a.body().strip());
    }
    spec.commandLine().getOut().println(a.body().strip());
    return ExitCodes.OK;
  }
}

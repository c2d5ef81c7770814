package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.status.StatusClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
      "Exit 0 when the agent accepted, 1 when it cannot be reached or has no such target."
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

  @Override
  public Integer call() throws ConfigException, AgentException, InterruptedException {
    StatusClient.Answer a = new StatusClient(address.resolve()).syncNow(target, allowDeletes);
    if (a.code() != 202) {
      throw new AgentException(a.body().strip());
    }
    spec.commandLine().getOut().println(a.body().strip());
    return WatchsyncCommand.OK;
  }
}

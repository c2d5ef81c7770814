package io.watchsync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.status.StatusClient;
import io.watchsync.agent.status.StatusException;
import io.watchsync.agent.status.StatusTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code watchsync status}: the running agent's targets, one line each. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the running agent's targets: state (up, failing, down or held), changes pending,"
          + " replication lag, files sent, last success, and why a target is not up (or its last"
          + " error).",
      "Exit 0 when the agent answered, 1 when it cannot be reached, 2 on a usage error."
    })
public final class StatusCommand implements Callable<Integer> {
  @Mixin AgentAddress address;
  @Spec CommandSpec spec;

  @Override
  public Integer call()
      throws ConfigException, AgentException, StatusException, InterruptedException {
    JsonNode status = new StatusClient(address.resolve()).status();
    spec.commandLine().getOut().print(StatusTable.render(status));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}

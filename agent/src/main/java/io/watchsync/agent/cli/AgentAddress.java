package io.watchsync.agent.cli;

import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigException;
import io.watchsync.agent.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a running agent's status endpoint is: from its configuration file, or given. */
public final class AgentAddress {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "The agent's configuration file, for its status address and port (default:"
              + " /etc/watchsync/watchsync.yml, or http://127.0.0.1:9873 when there is none).")
  Path config;

  @Option(
      names = "--url",
      paramLabel = "URL",
      description =
          "The agent's status endpoint, e.g. http://127.0.0.1:9873, instead of -c (default:"
              + " the status address of the configuration file).")
  String url;

  /** The base URL of the endpoint. */
  String resolve() throws ConfigException, AgentException {
    if (url != null) {
      if (config != null) {
        throw new ConfigException("give either --url or -c/--config, not both");
      }
      return url;
    }
    Path file = config != null ? config : ConfigOptions.DEFAULT_CONFIG;
    if (config == null && !Files.exists(file)) {
      return AgentConfig.Status.DEFAULT.localUrl();
    }
    AgentConfig.Status status = ConfigLoader.load(file).status();
    if (!status.enabled()) {
      throw new AgentException(
          "the status endpoint is off in " + file + " (status.enabled: false)");
    }
    if (status.port() == 0) {
      throw new AgentException(
          "status.port is 0 in " + file + " (a port chosen at start); give it with --url");
    }
    return status.localUrl();
  }
}

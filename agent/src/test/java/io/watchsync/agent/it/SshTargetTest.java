package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.check.EnvironmentCheck;
import io.watchsync.agent.check.Finding;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.SshServer;
import io.watchsync.agent.testing.TreeComparison;
import io.watchsync.agent.transport.TargetUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over ssh: a configuration file with an ssh target, real inotify, a real OpenSSH server
 * on 127.0.0.1. The agent's runs share one login, {@code check} logs in on its own, and stopping
 * the agent ends the connection.
 */
@EnabledOnOs(OS.LINUX)
class SshTargetTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);

  @TempDir Path work;
  SshServer server;
  Agent agent;

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void changesReachAnSshTargetOverOneLoginThatEndsWithTheAgent() throws Exception {
    assumeTrue(SshServer.available(), "needs OpenSSH's sshd (openssh-server) and root");
    server = SshServer.start(work.resolve("sshd"));
    Path source = Files.createDirectories(work.resolve("source"));
    Path replica = Files.createDirectories(work.resolve("replica"));
    Files.writeString(source.resolve("before-start"), "initial sync");
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "source: " + source,
            "state_dir: " + work.resolve("state"),
            "status:",
            "  enabled: false",
            "targets:",
            "  - name: offsite",
            "    url: " + server.login() + ":" + replica,
            "    ssh: \"" + server.sshCommand() + "\"",
            ""));
    AgentConfig agentConfig = ConfigLoader.load(config, TargetUrl::parse);
    agent = Agent.start(agentConfig, ReplicationListener.NONE);
    for (int round = 0; round < 3; round++) {
      Files.writeString(source.resolve("file" + round), "round " + round);
      Await.until(
          CONVERGE,
          () -> TreeComparison.differences(source, replica).isEmpty(),
          () -> "replica to match: " + TreeComparison.differences(source, replica));
    }
    TreeComparison.assertIdentical(source, replica);
    assertEquals(1, server.acceptedLogins(), server::log);

    // `watchsync check` logs in afresh and leaves the agent's connection alone.
    List<Finding> findings = new EnvironmentCheck(agentConfig).run();
    Finding target =
        findings.stream().filter(f -> f.subject().startsWith("offsite")).findFirst().orElseThrow();
    assertEquals(Finding.Status.OK, target.status(), target::line);
    assertEquals(2, server.acceptedLogins(), server::log);
    Files.writeString(source.resolve("after-check"), "still shared");
    Await.until(
        CONVERGE,
        () -> TreeComparison.differences(source, replica).isEmpty(),
        () -> "replica to match: " + TreeComparison.differences(source, replica));
    assertEquals(2, server.acceptedLogins(), server::log);

    agent.close();
    agent = null;
    Await.until(
        CONVERGE, () -> server.openConnections() == 0, () -> "the agent's connection to end");
  }
}

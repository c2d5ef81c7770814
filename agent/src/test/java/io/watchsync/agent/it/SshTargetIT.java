package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.check.EnvironmentCheck;
import io.watchsync.agent.check.Finding;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.LogCapture;
import io.watchsync.agent.testing.SshServer;
import io.watchsync.agent.testing.TreeComparison;
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
class SshTargetIT {
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

  private Path source;
  private Path replica;

  /** Starts sshd and an agent replicating {@code work/source} to it, its state in {@code state}. */
  private AgentConfig startAgent(Path state) throws Exception {
    assumeTrue(SshServer.available(), "needs OpenSSH's sshd (openssh-server) and root");
    server = SshServer.start(work.resolve("sshd"));
    source = Files.createDirectories(work.resolve("source"));
    replica = Files.createDirectories(work.resolve("replica"));
    Files.writeString(source.resolve("before-start"), "initial sync");
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "source: " + source,
            "state_dir: " + state,
            "status:",
            "  enabled: false",
            "targets:",
            "  - name: offsite",
            "    url: " + server.login() + ":" + replica,
            "    ssh: \"" + server.sshCommand() + "\"",
            ""));
    AgentConfig agentConfig = ConfigLoader.load(config);
    agent = Agent.start(agentConfig, ReplicationListener.NONE);
    return agentConfig;
  }

  private void writeAndAwait(String name) throws Exception {
    Files.writeString(source.resolve(name), name);
    Await.until(
        CONVERGE,
        () -> TreeComparison.differences(source, replica).isEmpty(),
        () -> "replica to match: " + TreeComparison.differences(source, replica));
  }

  @Test
  void changesReachAnSshTargetOverOneLoginThatEndsWithTheAgent() throws Exception {
    AgentConfig agentConfig = startAgent(work.resolve("state"));
    for (int round = 0; round < 3; round++) {
      writeAndAwait("file" + round);
    }
    TreeComparison.assertIdentical(source, replica);
    assertEquals(1, server.acceptedLogins(), server::log);

    // `watchsync check` logs in afresh and leaves the agent's connection alone.
    List<Finding> findings = new EnvironmentCheck(agentConfig).run();
    Finding target =
        findings.stream().filter(f -> f.subject().startsWith("offsite")).findFirst().orElseThrow();
    assertEquals(Finding.Status.OK, target.status(), target::line);
    // check logs in twice: once to probe the target, once to read its generation.
    assertEquals(3, server.acceptedLogins(), server::log);
    writeAndAwait("after-check");
    assertEquals(3, server.acceptedLogins(), server::log);

    agent.close();
    agent = null;
    Await.until(
        CONVERGE, () -> server.openConnections() == 0, () -> "the agent's connection to end");
  }

  @Test
  void aStateDirectoryTooDeepForASocketIsWarnedAboutAndEveryRunLogsIn() throws Exception {
    try (LogCapture log = LogCapture.start()) {
      Path deep = work.resolve("state-" + "d".repeat(100 - work.toString().length()));
      startAgent(deep);
      writeAndAwait("one");
      writeAndAwait("two");
      assertTrue(log.anyContains("offsite: every run logs in anew", "longer than"), log::toString);
    }
    // The initial sync and the two batches: not one login shared by them.
    assertTrue(server.acceptedLogins() >= 2, () -> "a login per run: " + server.log());
  }
}

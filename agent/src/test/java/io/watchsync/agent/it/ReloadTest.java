package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.status.TargetStatus;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import io.watchsync.agent.transport.TargetUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@link Agent#reload}: a new configuration taken while changes are pending. */
@EnabledOnOs(OS.LINUX)
class ReloadTest {
  private static final Duration CONVERGE = ReplicationFixture.CONVERGE;

  @TempDir Path work;
  Path source;
  Path config;
  RsyncDaemon first;
  RsyncDaemon second;
  Agent agent;

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectories(work.resolve("source"));
    config = work.resolve("watchsync.yml");
    first = RsyncDaemon.start(work.resolve("first"));
    second = RsyncDaemon.start(work.resolve("second"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    first.close();
    second.close();
  }

  /** Writes the configuration file: {@code excludes}, then each daemon as a target. */
  private AgentConfig writeConfig(List<String> excludes, RsyncDaemon... daemons) throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("source: " + source);
    lines.add("state_dir: " + work.resolve("state"));
    lines.add("status: {port: 0}");
    lines.add(
        "excludes: ["
            + String.join(", ", excludes.stream().map(e -> "\"" + e + "\"").toList())
            + "]");
    lines.add("targets:");
    for (RsyncDaemon d : daemons) {
      lines.add("  - name: " + (d == first ? "first" : "second"));
      lines.add("    url: " + d.url());
      lines.add("    password_file: " + d.clientPasswordFile());
    }
    Files.writeString(config, String.join("\n", lines) + "\n");
    return ConfigLoader.load(config, TargetUrl::parse);
  }

  private TargetStatus status(String name) {
    return agent.targetStatus().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no target " + name + ": " + agent.targetStatus()));
  }

  private static void awaitFile(RsyncDaemon d, String name) {
    Path p = d.replicaDir().resolve(name);
    Await.until(CONVERGE, () -> Files.exists(p), () -> p + " on the replica");
  }

  private void write(String name) throws Exception {
    Files.writeString(source.resolve(name), name);
  }

  @Test
  void anAddedExcludeAndASecondTargetTakeEffectWithoutLosingPendingChanges() throws Exception {
    agent = Agent.start(writeConfig(List.of(), first), ReplicationListener.NONE);
    Await.until(CONVERGE, agent::isIdle, () -> "the initial sync");
    first.stop();
    write("pending-1.txt");
    write("pending-2.txt");
    Await.until(
        CONVERGE, () -> status("first").pending() == 2, () -> "2 pending: " + agent.targetStatus());

    agent.reload(writeConfig(List.of("*.tmp"), first, second));

    assertEquals(
        List.of("first", "second"), agent.targetStatus().stream().map(TargetStatus::name).toList());
    assertTrue(status("first").pending() >= 2, () -> "kept: " + status("first"));
    write("scratch.tmp");
    write("after-reload.txt");
    for (String name : List.of("pending-1.txt", "pending-2.txt", "after-reload.txt")) {
      awaitFile(second, name);
    }
    first.start();
    for (String name : List.of("pending-1.txt", "pending-2.txt", "after-reload.txt")) {
      awaitFile(first, name);
    }
    Await.until(CONVERGE, agent::isIdle, () -> "both targets to finish");
    assertFalse(Files.exists(first.replicaDir().resolve("scratch.tmp")), "excluded on the first");
    assertFalse(Files.exists(second.replicaDir().resolve("scratch.tmp")), "excluded on the second");
  }

  @Test
  void aRemovedTargetKeepsItsPendingChangesInItsJournalUntilItComesBack() throws Exception {
    agent = Agent.start(writeConfig(List.of(), first, second), ReplicationListener.NONE);
    Await.until(CONVERGE, agent::isIdle, () -> "the initial syncs");
    second.stop();
    write("while-second-is-down.txt");
    awaitFile(first, "while-second-is-down.txt");
    Await.until(CONVERGE, () -> status("second").pending() == 1, () -> "1 pending for the second");

    agent.reload(writeConfig(List.of(), first));
    assertEquals(1, agent.targetStatus().size());
    second.start();
    write("only-first.txt");
    awaitFile(first, "only-first.txt");

    agent.reload(writeConfig(List.of(), first, second));
    awaitFile(second, "while-second-is-down.txt");
    awaitFile(second, "only-first.txt"); // its initial sync, as it missed events while removed
  }

  @Test
  void aNewSourceIsRefusedAndTheRunningConfigurationStays() throws Exception {
    AgentConfig running = writeConfig(List.of(), first);
    agent = Agent.start(running, ReplicationListener.NONE);
    Await.until(CONVERGE, agent::isIdle, () -> "the initial sync");
    Path other = Files.createDirectories(work.resolve("other"));
    AgentConfig moved =
        new AgentConfig(
            other,
            running.stateDir(),
            running.initialSync(),
            running.fullSyncInterval(),
            running.excludes(),
            running.batching(),
            running.retry(),
            running.rsync(),
            running.logLevel(),
            running.targets(),
            running.status(),
            running.callbacks());

    AgentException e = assertThrows(AgentException.class, () -> agent.reload(moved));

    assertEquals(
        "source changed from " + source + " to " + other + "; restart for that", e.getMessage());
    write("still-replicated.txt");
    awaitFile(first, "still-replicated.txt");
  }
}

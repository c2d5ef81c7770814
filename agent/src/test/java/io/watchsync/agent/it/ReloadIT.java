package io.watchsync.agent.it;

import static io.watchsync.agent.it.ReloadFixture.awaitFile;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@link Agent#reload}: a new configuration taken while changes are pending. */
@EnabledOnOs(OS.LINUX)
class ReloadIT {
  private static final Duration CONVERGE = ReplicationFixture.CONVERGE;

  @TempDir Path work;
  ReloadFixture f;
  Agent agent;

  @BeforeEach
  void setUp() throws Exception {
    f = new ReloadFixture(work);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null) {
      agent.close();
    }
    f.close();
  }

  /** Writes the configuration file and loads it as the agent would. */
  private AgentConfig writeConfig(List<String> excludes, RsyncDaemon... daemons) throws Exception {
    f.writeConfig(excludes, daemons);
    return ConfigLoader.load(f.config);
  }

  private TargetStatus status(String name) {
    return agent.targetStatus().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no target " + name + ": " + agent.targetStatus()));
  }

  private void write(String name) throws Exception {
    Files.writeString(f.source.resolve(name), name);
  }

  @Test
  void anAddedExcludeAndASecondTargetTakeEffectWithoutLosingPendingChanges() throws Exception {
    agent = Agent.start(writeConfig(List.of(), f.first), ReplicationListener.NONE);
    Await.until(CONVERGE, agent::isIdle, () -> "the initial sync");
    f.first.stop();
    write("pending-1.txt");
    write("pending-2.txt");
    Await.until(
        CONVERGE, () -> status("first").pending() == 2, () -> "2 pending: " + agent.targetStatus());

    agent.reload(writeConfig(List.of("*.tmp"), f.first, f.second));

    assertEquals(
        List.of("first", "second"), agent.targetStatus().stream().map(TargetStatus::name).toList());
    assertTrue(status("first").pending() >= 2, () -> "kept: " + status("first"));
    write("scratch.tmp");
    write("after-reload.txt");
    for (String name : List.of("pending-1.txt", "pending-2.txt", "after-reload.txt")) {
      awaitFile(f.second, name);
    }
    f.first.start();
    for (String name : List.of("pending-1.txt", "pending-2.txt", "after-reload.txt")) {
      awaitFile(f.first, name);
    }
    Await.until(CONVERGE, agent::isIdle, () -> "both targets to finish");
    assertFalse(Files.exists(f.first.replicaDir().resolve("scratch.tmp")), "excluded on the first");
    assertFalse(
        Files.exists(f.second.replicaDir().resolve("scratch.tmp")), "excluded on the second");
  }

  @Test
  void aRemovedTargetKeepsItsPendingChangesInItsJournalUntilItComesBack() throws Exception {
    agent = Agent.start(writeConfig(List.of(), f.first, f.second), ReplicationListener.NONE);
    Await.until(CONVERGE, agent::isIdle, () -> "the initial syncs");
    f.second.stop();
    write("while-second-is-down.txt");
    awaitFile(f.first, "while-second-is-down.txt");
    Await.until(CONVERGE, () -> status("second").pending() == 1, () -> "1 pending for the second");

    agent.reload(writeConfig(List.of(), f.first));
    assertEquals(1, agent.targetStatus().size());
    f.second.start();
    write("only-first.txt");
    awaitFile(f.first, "only-first.txt");

    agent.reload(writeConfig(List.of(), f.first, f.second));
    awaitFile(f.second, "while-second-is-down.txt");
    awaitFile(f.second, "only-first.txt"); // its initial sync, as it missed events while removed
  }

  @Test
  void aNewSourceIsRefusedAndTheRunningConfigurationStays() throws Exception {
    AgentConfig running = writeConfig(List.of(), f.first);
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
            running.callbacks(),
            running.guards());

    AgentException e = assertThrows(AgentException.class, () -> agent.reload(moved));

    assertEquals(
        "source changed from " + f.source + " to " + other + "; restart for that", e.getMessage());
    write("still-replicated.txt");
    awaitFile(f.first, "still-replicated.txt");
  }
}

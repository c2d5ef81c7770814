package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ConfigLoader;
import io.watchsync.agent.replicate.Work;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import io.watchsync.agent.testing.TreeComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Several targets from one configuration file: each has its own queue, workers and fate. */
@EnabledOnOs(OS.LINUX)
class MultiTargetIT {
  private static final Duration CONVERGE = ReplicationFixture.CONVERGE;

  @TempDir Path work;
  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private Agent start(Path config, io.watchsync.agent.replicate.ReplicationListener listener)
      throws Exception {
    AgentConfig loaded = ConfigLoader.load(config);
    Agent agent = Agent.start(loaded, listener);
    resources.add(agent);
    Await.until(CONVERGE, agent::isIdle, () -> "initial syncs to finish");
    return agent;
  }

  /** A configuration file for {@code source} with the given lines under {@code targets:}. */
  private Path configFile(Path source, String... targetLines) throws Exception {
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        "source: "
            + source
            + "\nstate_dir: "
            + work.resolve("state")
            + "\ntargets:\n"
            + String.join("\n", targetLines)
            + "\n");
    return config;
  }

  private static void awaitIdentical(Path source, Path replica) {
    Await.until(
        CONVERGE,
        () -> TreeComparison.differences(source, replica).isEmpty(),
        () -> replica + " to match: " + TreeComparison.differences(source, replica));
  }

  @Test
  void aTargetThatIsDownDoesNotHoldBackTheOthers() throws Exception {
    Path source = Files.createDirectories(work.resolve("source"));
    RsyncDaemon up = RsyncDaemon.start(Files.createDirectories(work.resolve("up")));
    resources.add(up);
    RsyncDaemon down = RsyncDaemon.start(Files.createDirectories(work.resolve("down")));
    resources.add(down);
    Path config =
        configFile(
            source,
            "  - name: up",
            "    url: " + up.url(),
            "    password_file: " + up.clientPasswordFile(),
            "  - name: down",
            "    url: " + down.url(),
            "    password_file: " + down.clientPasswordFile());
    start(config, (target, w, delivery, took) -> {});
    down.stop();
    for (int i = 0; i < 200; i++) {
      Files.writeString(
          Files.createDirectories(source.resolve("d" + i % 10)).resolve("f" + i), "x" + i);
    }
    awaitIdentical(source, up.replicaDir());
    assertTrue(
        !TreeComparison.differences(source, down.replicaDir()).isEmpty(),
        "the stopped target cannot have received anything");
    down.start();
    awaitIdentical(source, down.replicaDir());
    TreeComparison.assertIdentical(source, up.replicaDir());
  }

  @Test
  void directoryRenamedOnALocalTargetIsMovedThereNotSentAgain() throws Exception {
    Path source = Files.createDirectories(work.resolve("source"));
    Path replica = Files.createDirectories(work.resolve("replica"));
    for (int i = 0; i < 300; i++) {
      Files.writeString(
          Files.createDirectories(source.resolve("old/sub" + i % 5)).resolve("f" + i), "data " + i);
    }
    Path config = configFile(source, "  - name: local", "    url: " + replica);
    AtomicBoolean renamed = new AtomicBoolean();
    AtomicLong filesAfterRename = new AtomicLong();
    Agent agent =
        start(
            config,
            (target, w, delivery, took) -> {
              if (w instanceof Work.Renames && delivery.ok()) {
                renamed.set(true);
              } else if (renamed.get()) {
                filesAfterRename.addAndGet(delivery.files());
              }
            });
    awaitIdentical(source, replica);
    Files.move(source.resolve("old"), source.resolve("new"));
    Await.until(CONVERGE, renamed::get, () -> "a rename on the target");
    awaitIdentical(source, replica);
    Await.until(CONVERGE, agent::isIdle, () -> "the check after the rename");
    assertTrue(
        filesAfterRename.get() < 5,
        "files re-sent after the rename: " + filesAfterRename.get() + " of 300");
  }
}

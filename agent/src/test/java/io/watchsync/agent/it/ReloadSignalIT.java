package io.watchsync.agent.it;

import static io.watchsync.agent.it.ReloadFixture.awaitFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.RsyncDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code watchsync run} as a separate process, sent SIGHUP after its file was edited. */
@EnabledOnOs(OS.LINUX)
class ReloadSignalIT {
  @TempDir Path work;
  ReloadFixture f;
  Process agent;

  @BeforeEach
  void setUp() throws Exception {
    f = new ReloadFixture(work);
    f.status = "{enabled: false}";
  }

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    f.close();
  }

  private String log() {
    try {
      return Files.readString(work.resolve("agent.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private void hangUp() throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).start();
    assertEquals(0, kill.waitFor());
  }

  private void awaitLog(String text, int times) {
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> log().split(java.util.regex.Pattern.quote(text), -1).length - 1 >= times,
        () -> "\"" + text + "\" in the log:\n" + log());
  }

  @Test
  void sighupTakesAnEditedFileAndAnInvalidOneLeavesTheRunningConfigurationInForce()
      throws Exception {
    f.writeConfig(List.of(), f.first);
    agent =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WatchsyncCommand.class.getName(),
                "run",
                "-c",
                f.config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("agent.log").toFile())
            .start();
    Files.writeString(f.source.resolve("before.txt"), "before");
    awaitFile(f.first, "before.txt");

    Files.writeString(f.config, Files.readString(f.config) + "    wokers: 3\n");
    hangUp();
    awaitLog("reload failed, the running configuration stays in force: " + f.config + ":", 1);
    List<String> errors = log().lines().filter(l -> l.contains("reload failed")).toList();
    assertEquals(1, errors.size(), this::log);
    assertTrue(errors.get(0).contains("wokers"), errors::toString);
    Files.writeString(f.source.resolve("after-bad-reload.txt"), "x");
    awaitFile(f.first, "after-bad-reload.txt");

    f.writeConfig(List.of("*.tmp"), f.first, f.second);
    hangUp();
    awaitLog("configuration reloaded: 2 targets, added second, excludes changed", 1);
    Files.writeString(f.source.resolve("scratch.tmp"), "not replicated");
    Files.writeString(f.source.resolve("after-good-reload.txt"), "x");
    for (RsyncDaemon d : List.of(f.first, f.second)) {
      awaitFile(d, "before.txt");
      awaitFile(d, "after-bad-reload.txt");
      awaitFile(d, "after-good-reload.txt");
    }

    agent.destroy();
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent stops on SIGTERM");
    assertEquals(0, agent.exitValue(), this::log);
    assertFalse(Files.exists(f.first.replicaDir().resolve("scratch.tmp")), this::log);
    assertFalse(Files.exists(f.second.replicaDir().resolve("scratch.tmp")), this::log);
  }
}

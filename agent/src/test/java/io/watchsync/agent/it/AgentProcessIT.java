package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The agent as operators run it: a separate process, stopped by signals or killed. */
@EnabledOnOs(OS.LINUX)
class AgentProcessIT extends WithReplicationFixture {
  Process agent;

  @AfterEach
  void tearDown() throws Exception {
    if (agent != null && agent.isAlive()) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private List<String> agentCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(WatchsyncCommand.class.getName());
    cmd.addAll(
        List.of(
            "run",
            "--source",
            f.source.toString(),
            "--target",
            f.daemon.url(),
            "--password-file",
            f.daemon.clientPasswordFile().toString(),
            "--state-dir",
            f.state.toString()));
    return cmd;
  }

  /** Starts {@code cmd} with its output going to the log that {@link #log()} reads. */
  private Process launch(List<String> cmd) throws java.io.IOException {
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve("agent.log").toFile())
        .start();
  }

  private Process startAgentProcess() throws Exception {
    Process p = launch(agentCommand());
    // Ready once a probe file written now reaches the replica.
    String probe = ".probe-" + System.nanoTime();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> {
          try {
            if (!Files.exists(f.source.resolve(probe))) {
              Files.writeString(f.source.resolve(probe), "probe");
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return Files.exists(f.daemon.replicaDir().resolve(probe)) || !p.isAlive();
        },
        () -> "the agent to replicate a probe file");
    assertTrue(p.isAlive(), () -> "agent exited: " + log());
    Files.delete(f.source.resolve(probe));
    return p;
  }

  private String log() {
    try {
      return Files.readString(work.resolve("agent.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void killDashNineMidBurstLosesNothingAfterRestart() throws Exception {
    agent = startAgentProcess();
    for (int i = 0; i < 3000; i++) {
      f.write("burst/d" + (i % 30) + "/f" + i, "file " + i);
      if (i == 1500) {
        agent.destroyForcibly(); // SIGKILL
      }
    }
    assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
    f.write("after-kill.txt", "written while the agent was dead");
    agent = startAgentProcess();
    f.assertReplicated();
  }

  @Test
  void sigtermWhileTheAgentIsStillStartingStopsItCleanlyToo() throws Exception {
    // Regression: the TERM handler was installed only once the start had returned, so a stop
    // asked for during the initial sync ended the process at once (exit 143, no clean stop).
    agent = launch(agentCommand());
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> log().contains("watching ") || !agent.isAlive(),
        () -> "the agent to set up its watches");
    assertSigtermStopsCleanly(); // while the initial sync runs
  }

  @Test
  void sigtermStopsCleanlyWithExitZeroAndAMarkedJournal() throws Exception {
    agent = startAgentProcess();
    f.write("a.txt", "a");
    f.assertReplicated();
    assertSigtermStopsCleanly();
  }

  /** Sends SIGTERM; the agent must stop with exit 0 and mark its journal as cleanly closed. */
  private void assertSigtermStopsCleanly() throws Exception {
    agent.destroy();
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent stops");
    assertEquals(0, agent.exitValue(), this::log);
    try (Stream<Path> s = Files.walk(f.state)) {
      assertTrue(
          s.anyMatch(p -> p.getFileName().toString().equals("clean-stop")),
          "journal marked as cleanly closed");
    }
  }

  @Test
  void badConfigurationIsAUsageErrorNamingFileAndLine() throws Exception {
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        "source: "
            + f.source
            + "\n"
            + "targets:\n"
            + "  - url: "
            + f.daemon.url()
            + "\n"
            + "    wokers: 2\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        WatchsyncCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), "run", "-c", config.toString());
    assertEquals(2, code);
    assertTrue(err.toString().contains(config + ":4"), err::toString);
    assertTrue(err.toString().contains("wokers"), err::toString);
  }

  @Test
  void unknownOptionIsAUsageError() {
    StringWriter err = new StringWriter();
    int code =
        WatchsyncCommand.run(
            new PrintWriter(new StringWriter()), new PrintWriter(err, true), "run", "--nope");
    assertEquals(2, code);
    assertTrue(err.toString().contains("--nope"), err::toString);
  }

  @Test
  void tooFewInotifyWatchesStopsTheAgentWithAClearMessage() throws Exception {
    for (int i = 0; i < 20; i++) {
      Files.createDirectories(f.source.resolve("d" + i));
    }
    // A user namespace has a watch limit of its own: lower it there and leave the host's alone.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "unshare",
                "--user",
                "--map-root-user",
                "sh",
                "-c",
                "echo 5 > /proc/sys/user/max_inotify_watches && exec \"$@\"",
                "sh"));
    cmd.addAll(agentCommand());
    Process p = launch(cmd);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the agent gives up");
    assertEquals(1, p.exitValue(), this::log);
    assertTrue(log().contains("user.max_inotify_watches"), this::log);
    assertTrue(log().contains("is 5 but the tree needs 21 watches"), this::log);
  }
}

package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.security.auth.module.UnixSystem;
import io.watchsync.agent.Agent;
import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.TargetState;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A real agent against a real rsync daemon, its target up, refusing every run, unreachable, or out
 * of space: {@code /status}, {@code watchsync status}, {@code /metrics} and {@code /health} all say
 * which, and why.
 */
@EnabledOnOs(OS.LINUX)
class TargetStateIT extends WithReplicationFixture {

  private JsonNode target() {
    try {
      return new ObjectMapper().readTree(f.get("/status").body()).path("targets").get(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String state() {
    return target().path("state").asText();
  }

  private String why() {
    return target().path("state_detail").asText();
  }

  private Http.Answer health() {
    try {
      return f.get("/health");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String metrics() {
    try {
      return f.get("/metrics").body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String name() {
    return f.agent.targetStatus().get(0).name();
  }

  /** The line of {@code watchsync status} for the target. */
  private String statusLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        WatchsyncCommand.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "status",
            "--url",
            f.agent.statusUrl());
    assertEquals(0, code, err::toString);
    return out.toString().lines().skip(1).findFirst().orElseThrow();
  }

  /** Every place that shows the state says {@code expected}, the others 0. */
  private void assertShownAs(TargetState expected) {
    String m = metrics();
    String target = "target=\"" + name() + "\"";
    for (TargetState s : TargetState.values()) {
      assertEquals(
          s == expected ? 1 : 0,
          Http.sample(m, "watchsync_target_state", target + ",state=\"" + s.word() + "\""),
          () -> s + ":\n" + m);
    }
    assertEquals(expected == TargetState.UP ? 1 : 0, Http.sample(m, "watchsync_target_up", target));
    assertTrue(
        statusLine().matches("\\Q" + name() + "\\E +" + expected.word() + " .*"), statusLine());
    assertEquals(expected == TargetState.UP ? 200 : 503, health().code(), health().body());
  }

  private void awaitState(TargetState expected) {
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> state().equals(expected.word()),
        () -> "the target to be " + expected.word() + ", it is: " + target());
  }

  @Test
  void aTargetThatTakesEveryRunIsUpEverywhere() throws Exception {
    f.write("a.txt", "a");
    f.startAgent();
    f.assertReplicated();

    assertEquals("up", state());
    assertTrue(target().path("state_detail").isNull(), target()::toString);
    assertShownAs(TargetState.UP);
    assertTrue(statusLine().endsWith(" -"), statusLine());
  }

  @Test
  void aModuleTheDaemonDoesNotHaveIsFailingWithRsyncsWordsAndNothingReachesTheTarget()
      throws Exception {
    f.targetUrl = "rsync://wsuser@127.0.0.1:" + f.daemon.port() + "/no-such-module";
    f.write("a.txt", "must not arrive anywhere");
    f.agent = Agent.start(f.config(), ReplicationListener.NONE);

    awaitState(TargetState.FAILING);
    // Regression: a second worker took the work back between the requeue and the pause, so every
    // refused run was tried again at once instead of after retry.initial_delay (1 s) or more.
    assertEquals(1, f.agent.metrics().target(name()).retries(), "one run, then a pause");
    assertTrue(why().startsWith("rsync exit 5: "), why());
    assertTrue(why().contains("Unknown module 'no-such-module'"), why());
    assertShownAs(TargetState.FAILING);
    assertTrue(statusLine().contains("Unknown module 'no-such-module'"), statusLine());
    assertEquals(
        "unhealthy: " + name() + " is failing: " + why() + " (max_lag 1m)\n", health().body());
    assertEquals(List.of(), contents(f.daemon.replicaDir()), "nothing on the target");
    assertFalse(
        (target() + metrics() + health().body() + statusLine()).contains(f.daemon.password()),
        "the password is never shown");
  }

  @Test
  void aModuleOpenedAfterTheFirstRefusalIsUsedWithinSecondsNotAfterMaxDelay() throws Exception {
    // A backup rejoining its primary keeps its writable module closed until it caught up: the
    // agent's first runs meet "Unknown module", and must not then wait retry.max_delay (60 s).
    f.daemon.moduleOpen(false);
    f.write("a.txt", "waits for the module");
    f.agent = Agent.start(f.config(), ReplicationListener.NONE);
    awaitState(TargetState.FAILING);
    assertTrue(why().contains("Unknown module"), why());

    f.daemon.moduleOpen(true);

    f.assertReplicated();
    awaitState(TargetState.UP);
  }

  @Test
  void aStoppedDaemonIsDownThenUpOnceItIsBack() throws Exception {
    f.startAgent();
    f.daemon.stop();
    f.write("while-down.txt", "waits");

    awaitState(TargetState.DOWN);
    assertTrue(why().startsWith("rsync exit "), why());
    assertShownAs(TargetState.DOWN);
    assertTrue(
        health().body().contains(name() + " is down: rsync exit ")
            || health().body().contains("target down: rsync exit "),
        health().body());

    f.daemon.start();
    awaitState(TargetState.UP);
    f.assertReplicated();
    assertShownAs(TargetState.UP);
  }

  @Test
  void aFullDiskOnTheTargetIsFailingUntilSpaceIsFreedThenTheTargetMatchesTheSource()
      throws Exception {
    Assumptions.assumeTrue(new UnixSystem().getUid() == 0, "mounting a tmpfs needs root");
    Path module = f.daemon.replicaDir();
    Assumptions.assumeTrue(
        sh("mount -t tmpfs -o size=1m watchsync-test " + module) == 0, "cannot mount a tmpfs");
    try {
      f.write("small/a.txt", "a");
      f.write("small/b.txt", "b");
      f.startAgent();
      f.assertReplicated();

      f.write("big.bin", "x".repeat(3 * 1024 * 1024));
      awaitState(TargetState.FAILING);
      assertTrue(why().startsWith("rsync exit 11: "), why());
      assertTrue(why().contains("No space left on device"), why());
      assertShownAs(TargetState.FAILING);

      assertEquals(0, sh("mount -o remount,size=16m " + module));
      awaitState(TargetState.UP);
      f.assertReplicated();
      assertShownAs(TargetState.UP);
    } finally {
      if (f.agent != null) {
        f.agent.close();
      }
      sh("umount -l " + module);
    }
  }

  private static List<Path> contents(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).toList();
    }
  }

  private static int sh(String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      System.err.println(command + ": " + output);
    }
    return code;
  }
}

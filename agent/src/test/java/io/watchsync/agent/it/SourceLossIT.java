package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.DeletionBudget;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.TargetState;
import io.watchsync.agent.source.SourceMountMode;
import io.watchsync.agent.status.TargetStatus;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import io.watchsync.agent.testing.LogCapture;
import io.watchsync.agent.testing.Mounts;
import io.watchsync.agent.testing.TreeComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The disasters that wiped backups, reproduced on the real kernel with a real rsync daemon: the
 * export's file system unmounted under the running agent (plainly, lazily with a writer inside, a
 * tmpfs), and an agent started on the bare mount point with one stray file in it. Each checks the
 * target file by file.
 */
class SourceLossIT extends WithReplicationFixture {
  static final Duration HOLD = Duration.ofSeconds(10);

  Mounts mounts;
  LogCapture log;
  Path data;
  Path before;

  @BeforeEach
  void mountsAndLog() throws Exception {
    mounts = Mounts.requireRoot();
    log = LogCapture.start();
    data = Files.createDirectories(work.resolve("data"));
    before = work.resolve("before");
  }

  @AfterEach
  void unmount() throws Exception {
    if (f.agent != null) {
      f.agent.close();
    }
    if (log != null) {
      log.close();
    }
    if (mounts != null) {
      mounts.close();
    }
  }

  @Test
  void unmountingTheSourceUnderTheAgentDeletesNothingAndItResumesWhenTheDiskIsBack()
      throws Exception {
    tree(data, 2, 50);
    mounts.bind(data, f.source);
    f.startAgent();
    f.assertReplicated();
    snapshotReplica();

    mounts.umount(f.source);
    // Changes through another path to the same data: the watches still see them.
    Files.writeString(data.resolve("d1/new.txt"), "new");
    Files.writeString(data.resolve("d0/f1"), "changed");
    Files.delete(data.resolve("d1/f3"));

    awaitHeld("is no longer the directory it was at start");
    TreeComparison.assertIdentical(before, f.daemon.replicaDir());
    assertTrue(log.anyContains("source lost: " + f.source), log.messages().toString());

    mounts.bind(data, f.source);

    Await.until(HOLD, () -> f.agent.sourceLoss() == null, () -> "the source to be taken back");
    f.assertReplicated();
    assertEquals(TargetState.UP, target().state());
    assertTrue(log.anyContains("is back", "full sync"), log.messages().toString());
  }

  @Test
  void aLazyUnmountWithAWriterStillInsideDeletesNothing() throws Exception {
    mounts.tmpfs(f.source, "16m");
    tree(f.source, 3, 40);
    f.startAgent();
    f.assertReplicated();
    Process writer =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "cd d1 && i=0; while [ $i -lt 300 ]; do echo $i > w$i; i=$((i+1)); sleep 0.01; done")
            .directory(f.source.toFile())
            .start();
    Await.until(HOLD, () -> Files.exists(f.source.resolve("d1/w20")), () -> "the writer to write");
    snapshotReplica();

    mounts.lazyUmount(f.source);

    // Seen by the check (the path shows the directory underneath) or, once the writer is gone
    // and the file system with it, by the watch: either names the source.
    awaitHeld(f.source.toString());
    assertTrue(writer.waitFor(30, TimeUnit.SECONDS), "the writer to finish");
    assertNothingDeletedOrChanged();
    assertTrue(log.anyContains("restart the agent once it is back"), log.messages().toString());
  }

  @Test
  void anUnmountedTmpfsHoldsAndAFreshOneInItsPlaceIsNotTakenForIt() throws Exception {
    mounts.tmpfs(f.source, "16m");
    tree(f.source, 2, 30);
    f.startAgent();
    f.assertReplicated();
    snapshotReplica();

    mounts.umount(f.source);
    awaitHeld(f.source.toString());
    Files.writeString(f.source.resolve("stray.txt"), "on the bare mount point");
    mounts.tmpfs(f.source, "16m");
    f.agent.requestFullSync("a full sync asked for while the source is lost");

    assertEquals(TargetState.HELD, target().state());
    assertTrue(target().stateDetail().startsWith("source lost: "), target().stateDetail());
    TreeComparison.assertIdentical(before, f.daemon.replicaDir());
    assertTrue(f.get("/metrics").body().contains("\nwatchsync_source_lost 1\n"));
    assertTrue(
        f.get("/metrics")
            .body()
            .contains("watchsync_target_state{target=\"127.0.0.1\",state=\"held\"} 1"));
    Http.Answer health = f.get("/health");
    assertEquals(503, health.code());
    assertTrue(health.body().contains("127.0.0.1 is held: source lost: "), health.body());
    assertTrue(health.body().contains(f.source.toString()), health.body());
    assertTrue(f.get("/status").body().contains("\"source_lost\":\""), "status");
  }

  @Test
  void aRestartOnTheBareMountPointWithOneStrayFileHoldsTheFullSyncUntilAllowed() throws Exception {
    tree(data, 20, 50);
    mounts.bind(data, f.source);
    f.startAgent();
    f.assertReplicated();
    f.agent.close();
    mounts.umount(f.source);
    Files.writeString(f.source.resolve("stray.txt"), "an application's log");
    snapshotReplica();

    f.agent = Agent.start(f.config(), ReplicationListener.NONE);

    Await.until(HOLD, () -> target().state() == TargetState.HELD, () -> "the full sync to be held");
    assertEquals(
        "it would delete 1020 of the 1021 entries on the target, more than 1000 entries"
            + " (max_delete 1000, 50%); sent what is new or changed, deleted nothing",
        target().stateDetail());
    Http.Answer health = f.get("/health");
    assertEquals(503, health.code());
    assertTrue(health.body().contains("127.0.0.1 is held: it would delete 1020"), health.body());
    assertTrue(
        f.get("/metrics")
            .body()
            .contains("watchsync_target_state{target=\"127.0.0.1\",state=\"held\"} 1"));
    assertTrue(f.get("/metrics").body().contains("\nwatchsync_source_lost 0\n"));
    // Nothing deleted; the stray file went out with what else was new.
    assertEquals(
        "an application's log", Files.readString(f.daemon.replicaDir().resolve("stray.txt")));
    Files.delete(f.daemon.replicaDir().resolve("stray.txt"));
    TreeComparison.assertIdentical(before, f.daemon.replicaDir());
    Files.writeString(f.daemon.replicaDir().resolve("stray.txt"), "an application's log");

    f.write("live.txt", "changes still go out while the full sync waits");
    Await.until(
        HOLD,
        () -> Files.exists(f.daemon.replicaDir().resolve("live.txt")),
        () -> "a live change to be replicated");
    assertEquals(0, watchsync("sync-now", "--url", f.agent.statusUrl()));
    Await.until(
        HOLD,
        () -> log.messages().stream().filter(m -> m.contains("full sync held")).count() >= 2,
        () -> "the second full sync to be held too: " + log.messages());
    assertTrue(Files.exists(f.daemon.replicaDir().resolve("d19/f49")));

    assertEquals(
        0,
        watchsync(
            "sync-now", "--url", f.agent.statusUrl(), "--target", "127.0.0.1", "--allow-deletes"));

    f.assertReplicated();
    Await.until(HOLD, () -> target().state() == TargetState.UP, () -> "released: " + target());
    assertNull(target().stateDetail());
  }

  @Test
  void aLegitimateRemovalOfALargeDirectoryStillReplicates() throws Exception {
    tree(f.source.resolve("big"), 10, 150);
    f.write("keep.txt", "keep");
    f.startAgent();
    f.assertReplicated();

    f.sh("rm -rf big");

    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("big")));
    f.agent.requestFullSync("a full sync after the removal");
    f.awaitIdle();
    assertEquals(TargetState.UP, target().state());
  }

  @Test
  void requiredRefusesToStartOnASourceThatIsNotMounted() throws Exception {
    AgentConfig config =
        f.config()
            .withGuards(new AgentConfig.Guards(SourceMountMode.REQUIRED, DeletionBudget.DEFAULT));

    AgentException e =
        assertThrows(AgentException.class, () -> Agent.start(config, (t, w, d, x) -> {}));

    assertTrue(
        e.getMessage()
            .startsWith("source " + f.source + " is not a mount point (source_mount: required)"),
        e.getMessage());
    assertEquals(0, TreeComparison.differences(before(), f.daemon.replicaDir()).size());
  }

  /** Runs the command line as an operator would, against the running agent. */
  private static int watchsync(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  private Path before() throws IOException {
    return Files.createDirectories(before);
  }

  /** {@code dirs} directories {@code d0 …} of {@code files} files each. */
  private static void tree(Path root, int dirs, int files) throws IOException {
    for (int d = 0; d < dirs; d++) {
      Path dir = Files.createDirectories(root.resolve("d" + d));
      for (int i = 0; i < files; i++) {
        Files.writeString(dir.resolve("f" + i), "file " + d + "/" + i + "\n");
      }
    }
  }

  /**
   * Copies the replica as it is now into {@code before}. The agent may still be writing into it
   * (the lazy-unmount test's writer runs on): the daemon's temporary files (dot files) are left
   * out, and a file that vanishes during the copy (rsync exit 24) is not an error.
   */
  private void snapshotReplica() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "rsync",
                "-a",
                "--exclude=.*",
                f.daemon.replicaDir() + "/",
                Files.createDirectories(before) + "/")
            .inheritIO()
            .start();
    int exit = p.waitFor();
    assertTrue(exit == 0 || exit == 24, "rsync exit " + exit);
  }

  /** Every file the replica had before is still there, with the same content. */
  private void assertNothingDeletedOrChanged() throws IOException {
    try (var files = Files.walk(before)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path there = f.daemon.replicaDir().resolve(before.relativize(p).toString());
        assertTrue(Files.exists(there), "deleted on the target: " + there);
        if (Files.isRegularFile(p)) {
          assertEquals(Files.readString(p), Files.readString(there), there.toString());
        }
      }
    }
  }

  private void awaitHeld(String detailPart) {
    Await.until(
        HOLD,
        () -> {
          TargetStatus t = target();
          return t.state() == TargetState.HELD && t.stateDetail().contains(detailPart);
        },
        () -> "the target to be held for the lost source: " + target() + " " + log.messages());
  }

  private TargetStatus target() {
    return f.agent.targetStatus().get(0);
  }
}

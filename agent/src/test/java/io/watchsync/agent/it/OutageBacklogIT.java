package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A target that is down while more changes pile up than {@code batching.max_pending}: the backlog
 * collapses into directories sent whole, or into a full sync, and every change still reaches a real
 * rsync daemon once it is back, with or without a restart in between.
 */
@EnabledOnOs(OS.LINUX)
class OutageBacklogIT extends WithReplicationFixture {
  private static final int MAX_PENDING = 5;

  private LogCapture log;

  @BeforeEach
  void captureLog() {
    log = LogCapture.start();
  }

  @AfterEach
  void stopCapturingLog() {
    log.close();
  }

  private void limitBacklogTo(int maxPending) {
    AgentConfig.Batching d = AgentConfig.Batching.DEFAULT;
    f.batching = new AgentConfig.Batching(d.window(), d.maxFiles(), d.writeGrace(), maxPending);
  }

  private void awaitLogged(String part) {
    Await.until(
        ReplicationFixture.CONVERGE, () -> log.anyContains(part), () -> part + " in " + log);
  }

  private int pending() {
    return f.agent.targetStatus().get(0).pending();
  }

  /**
   * Files in several directories, a rename, a deletion and a chmod, written while down, all below
   * one directory: the backlog collapses into directories, never into a full sync (whose deletions
   * the deletion budget would hold in a tree this small).
   */
  private void changeTheTreeWhileTheTargetIsDown() throws Exception {
    f.daemon.stop();
    f.sh(
        "cd data && for d in new/a new/b deep/x/y/z; do mkdir -p $d;"
            + " for i in $(seq 1 20); do echo $d $i > $d/f$i; done; done"
            + " && mv old renamed && rm keep/f3 && chmod 600 keep/f4 && echo top > top.txt");
  }

  private void writeTheTreeBeforeTheOutage() throws Exception {
    for (int i = 1; i <= 10; i++) {
      f.write("data/keep/f" + i, "keep " + i);
      f.write("data/old/sub/g" + i, "old " + i);
    }
    Files.setPosixFilePermissions(
        f.source.resolve("data/keep/f4"), PosixFilePermissions.fromString("rw-r--r--"));
  }

  @Test
  void changesPastMaxPendingCollapseIntoDirectoriesAndAllArriveWhenTheTargetIsBack()
      throws Exception {
    limitBacklogTo(MAX_PENDING);
    writeTheTreeBeforeTheOutage();
    f.startAgent();
    f.assertReplicated();

    changeTheTreeWhileTheTargetIsDown();
    awaitLogged("directories are sent whole instead");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> pending() <= MAX_PENDING,
        () -> "the backlog to stay within " + MAX_PENDING + ", it is " + pending());

    f.daemon.start();
    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("data/old")));
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("data/keep/f3")));
  }

  @Test
  void aBacklogOfTopLevelNamesBecomesAFullSyncThatDeliversEveryChange() throws Exception {
    limitBacklogTo(2);
    for (int i = 1; i <= 20; i++) {
      f.write("t" + i, "before " + i);
    }
    f.startAgent();
    f.assertReplicated();

    f.daemon.stop();
    f.sh("for i in $(seq 1 10); do echo new $i > n$i; done && echo changed > t2 && rm t1");
    awaitLogged("a full sync replaces them");

    f.daemon.start();
    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("t1")));
  }

  @Test
  void aCollapsedBacklogWaitsInTheJournalForTheNextAgent() throws Exception {
    limitBacklogTo(MAX_PENDING);
    writeTheTreeBeforeTheOutage();
    f.startAgent();
    f.assertReplicated();

    changeTheTreeWhileTheTargetIsDown();
    awaitLogged("directories are sent whole instead");
    f.agent.close();

    // Without an initial full sync only the journal can bring the changes over.
    f.initialSync = false;
    f.daemon.start();
    f.startAgent();
    f.assertReplicated();
  }

  @Test
  void aBacklogWithinTheLimitIsNotCollapsed() throws Exception {
    f.startAgent();
    f.daemon.stop();
    f.sh("mkdir -p a && for i in $(seq 1 20); do echo $i > a/f$i; done");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> pending() >= 20,
        () -> "the 20 files to wait one by one, " + pending() + " do");
    f.daemon.start();
    f.assertReplicated();
    assertFalse(log.anyContains("max_pending"), log::toString);
  }
}

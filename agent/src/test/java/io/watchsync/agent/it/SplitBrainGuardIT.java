package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.generation.GenerationFile;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.TargetState;
import io.watchsync.agent.status.TargetStatus;
import io.watchsync.agent.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The old primary coming back after a failover: its agent starts (the unit was enabled) and its
 * initial full sync would push its stale tree over the backup that took over. The generation guard
 * must refuse, and the new primary's tree must stay as it is, file by file.
 */
class SplitBrainGuardIT extends WithReplicationFixture {
  static final Duration HELD = Duration.ofSeconds(15);

  @Test
  void aReturningOldPrimaryNeverOverwritesThePromotedBackup() throws Exception {
    f.write(".watchsync-generation", "3 nfs1\n");
    f.write("docs/a.txt", "before the failover");
    f.write("docs/b.txt", "before the failover");
    f.startAgent();
    f.assertReplicated();
    f.agent.close();
    // The backup takes over: its generation is raised, clients write to it.
    Path replica = f.daemon.replicaDir();
    GenerationFile.raise(replica, "nfs2");
    Files.writeString(replica.resolve("docs/a.txt"), "edited on the new primary");
    Files.writeString(replica.resolve("docs/after-failover.txt"), "written on the new primary");
    Files.delete(replica.resolve("docs/b.txt"));
    // Meanwhile the old primary took writes it never delivered.
    f.write("docs/stale.txt", "only on the old primary");

    f.agent = Agent.start(f.config(), ReplicationListener.NONE);

    Await.until(
        HELD,
        () -> target().state() == TargetState.HELD,
        () -> "the old primary's agent to be refused: " + target());
    assertTrue(
        target()
            .stateDetail()
            .startsWith(
                "split-brain guard: the target's tree is at generation 4 (raised by nfs2), newer"
                    + " than this source's 3 (raised by nfs1)"),
        target().stateDetail());
    f.write("docs/later.txt", "written on the old primary after it came back");
    assertEquals("4 nfs2\n", Files.readString(replica.resolve(".watchsync-generation")));
    assertEquals("edited on the new primary", Files.readString(replica.resolve("docs/a.txt")));
    assertTrue(Files.exists(replica.resolve("docs/after-failover.txt")));
    assertTrue(Files.notExists(replica.resolve("docs/b.txt")), "a deletion was undone");
    assertTrue(Files.notExists(replica.resolve("docs/stale.txt")));
    Await.until(
        HELD,
        () -> f.agent.targetStatus().get(0).pending() >= 2,
        () -> "the old primary's changes to stay queued: " + target());
    assertTrue(Files.notExists(replica.resolve("docs/later.txt")));
  }

  private TargetStatus target() {
    return f.agent.targetStatus().get(0);
  }
}

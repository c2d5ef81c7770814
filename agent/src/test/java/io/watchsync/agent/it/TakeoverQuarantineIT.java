package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.generation.TakeoverQuarantine;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.TreeComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A backup that did not take over, after a failover: the old primary had sent it writes that the
 * new primary never got. The new primary's first full sync would delete or overwrite them there,
 * and if the old primary never comes back they would be gone from the whole cluster. That full sync
 * must move them into the backup's quarantine instead, file by file.
 */
class TakeoverQuarantineIT extends WithReplicationFixture {

  @Test
  void theFirstFullSyncAfterATakeoverKeepsWhatItReplacesOnTheBackup() throws Exception {
    // The new primary: generation 5, raised when it took over.
    f.write(".watchsync-generation", "5 nfs2\n");
    f.write("docs/shared.txt", "the new primary's version");
    f.write("docs/same.txt", "on both");
    // The remaining backup, at the old primary's generation, with its last deliveries.
    Path replica = f.daemon.replicaDir();
    write(replica, ".watchsync-generation", "4 nfs1\n");
    write(replica, "docs/shared.txt", "the old primary's last version, sent only here");
    write(replica, "docs/same.txt", "on both");
    // Replicated before: same content and same time (rsync -a kept it), as on a real backup.
    Files.setLastModifiedTime(
        replica.resolve("docs/same.txt"),
        Files.getLastModifiedTime(f.source.resolve("docs/same.txt")));
    write(replica, "docs/only-here.txt", "acknowledged by the old primary, sent only here");
    write(replica, "gone/deep/file.txt", "a directory only here");

    f.startAgent();

    Await.until(
        ReplicationFixture.CONVERGE,
        () -> outsideQuarantine(replica).isEmpty(),
        () -> "the backup to equal the new primary: " + outsideQuarantine(replica));
    assertEquals("5 nfs2\n", Files.readString(replica.resolve(".watchsync-generation")));
    List<Path> kept = quarantines(replica);
    assertEquals(1, kept.size(), kept::toString);
    Path q = kept.get(0);
    assertTrue(q.getFileName().toString().matches("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z"), q::toString);
    assertEquals(
        "the old primary's last version, sent only here",
        Files.readString(q.resolve("docs/shared.txt")));
    assertEquals(
        "acknowledged by the old primary, sent only here",
        Files.readString(q.resolve("docs/only-here.txt")));
    assertEquals("a directory only here", Files.readString(q.resolve("gone/deep/file.txt")));
    assertTrue(Files.notExists(q.resolve("docs/same.txt")), "an equal file is not moved");
    assertTrue(Files.notExists(q.resolve(".watchsync-generation")), "the epoch is not kept");
  }

  @Test
  void aBackupThatCaughtUpIsMirroredAgainAndItsQuarantineIsLeftAlone() throws Exception {
    f.write(".watchsync-generation", "2 nfs2\n");
    f.write("a.txt", "a");
    // The primary's own quarantine (it was a backup once) is never sent.
    f.write(TakeoverQuarantine.DIR + "/2026-01-01T000000Z/old.txt", "reviewed on the primary");
    Path replica = f.daemon.replicaDir();
    write(replica, ".watchsync-generation", "1 nfs1\n");
    write(replica, "b.txt", "only on the backup");
    f.startAgent();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> outsideQuarantine(replica).isEmpty(),
        () -> "the first full sync: " + outsideQuarantine(replica));
    Path q = quarantines(replica).get(0);

    // At the same generation now: a later full sync deletes for real, and keeps nothing.
    Files.writeString(replica.resolve("c.txt"), "put there by hand");
    f.agent.requestFullSync(null, "test");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> Files.notExists(replica.resolve("c.txt")),
        () -> "the second full sync to delete c.txt");
    f.awaitIdle();

    assertEquals(List.of(q), quarantines(replica), "no new quarantine");
    assertEquals("only on the backup", Files.readString(q.resolve("b.txt")));
    assertTrue(
        Files.notExists(replica.resolve(TakeoverQuarantine.DIR + "/2026-01-01T000000Z")),
        "the primary's own quarantine is not replicated");
  }

  /** The differences between the source and the replica, the quarantines left out. */
  private List<String> outsideQuarantine(Path replica) {
    return TreeComparison.differences(f.source, replica).stream()
        .filter(d -> !d.contains(TakeoverQuarantine.DIR))
        .toList();
  }

  private static List<Path> quarantines(Path replica) throws Exception {
    Path dir = replica.resolve(TakeoverQuarantine.DIR);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static void write(Path root, String relative, String content) throws Exception {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}

package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.RsyncDaemon;
import io.watchsync.agent.testing.TreeComparison;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An old primary rejoining as a backup of the new one, over a real rsync daemon serving the new
 * primary's tree: nothing it alone had is lost, and it is never the one overwritten when it is the
 * newer.
 */
class RejoinIT {
  @TempDir Path work;
  RsyncDaemon newPrimary;
  Path oldPrimary;
  Path quarantine;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void clusterAfterAFailover() throws Exception {
    newPrimary = RsyncDaemon.start(Files.createDirectories(work.resolve("daemon")));
    Path theirs = Files.createDirectories(newPrimary.replicaDir());
    write(theirs, ".watchsync-generation", "4 nfs2\n");
    write(theirs, "docs/a.txt", "edited on the new primary");
    write(theirs, "docs/c.txt", "written on the new primary");
    write(theirs, "same.txt", "replicated before the failover");
    oldPrimary = Files.createDirectories(work.resolve("old-primary"));
    // Not the same size as the primary's: files written within one clock tick look alike to rsync.
    write(oldPrimary, ".watchsync-generation", "3 node1\n");
    write(oldPrimary, "docs/a.txt", "as it was before the failover");
    write(oldPrimary, "docs/b.txt", "deleted on the new primary since");
    write(oldPrimary, "docs/only-here/unsent.txt", "taken after the last delivered batch");
    write(oldPrimary, "same.txt", "replicated before the failover");
    // Replicated with rsync -a: the same modification time on both.
    FileTime replicatedAt = FileTime.from(Instant.parse("2026-12-01T10:00:00Z"));
    Files.setLastModifiedTime(theirs.resolve("same.txt"), replicatedAt);
    Files.setLastModifiedTime(oldPrimary.resolve("same.txt"), replicatedAt);
    quarantine = work.resolve("quarantine");
  }

  @AfterEach
  void stop() throws IOException {
    newPrimary.close();
  }

  @Test
  void theOldPrimaryEqualsTheNewOneAndWhatOnlyItHadIsMovedAsideNotDeleted() throws Exception {
    int code = rejoin();

    assertEquals(0, code, err::toString);
    TreeComparison.assertIdentical(newPrimary.replicaDir(), oldPrimary);
    Path moved = onlyQuarantine();
    assertEquals("as it was before the failover", Files.readString(moved.resolve("docs/a.txt")));
    assertEquals("deleted on the new primary since", Files.readString(moved.resolve("docs/b.txt")));
    assertEquals(
        "taken after the last delivered batch",
        Files.readString(moved.resolve("docs/only-here/unsent.txt")));
    assertFalse(Files.exists(moved.resolve(".watchsync-generation")), "the old epoch is not kept");
    assertFalse(Files.exists(moved.resolve("same.txt")), "an unchanged file is not moved");
    List<String> listed = Files.readAllLines(moved.resolveSibling(moved.getFileName() + ".list"));
    assertEquals(List.of("docs/a.txt", "docs/b.txt", "docs/only-here/unsent.txt"), listed);
    assertTrue(
        out.toString()
            .startsWith(
                oldPrimary
                    + " now equals the primary's tree; 3 files only this node had, or had in"
                    + " another version, moved aside into "
                    + moved
                    + " (generation 3 (raised by node1) here, 4 (raised by nfs2) there):\n"),
        out::toString);
    assertTrue(out.toString().contains("\n  docs/only-here/unsent.txt\n"), out::toString);
  }

  /**
   * Under a floating address the configuration binds every rsync run to it ({@code --address}), and
   * a rejoining node does not hold it: the pull must connect from the node's own address.
   */
  @Test
  void theConfigurationsBindAddressIsNotUsedForThePull() throws Exception {
    Path state = work.resolve("state");
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        "source: "
            + oldPrimary
            + "\nstate_dir: "
            + state
            + "\ntargets:\n  - name: peer\n    url: "
            + newPrimary.url()
            + "\n    password_file: "
            + newPrimary.clientPasswordFile()
            + "\nrsync:\n  extra_args: [\"--address=192.0.2.1\"]\n");

    int code =
        WatchsyncCommand.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "rejoin",
            "-c",
            config.toString(),
            "--from",
            newPrimary.url(),
            "--password-file",
            newPrimary.clientPasswordFile().toString());

    assertEquals(0, code, err::toString);
    TreeComparison.assertIdentical(newPrimary.replicaDir(), oldPrimary);
    quarantine = state.resolve("quarantine");
    assertEquals(
        "taken after the last delivered batch",
        Files.readString(onlyQuarantine().resolve("docs/only-here/unsent.txt")));
  }

  @Test
  void aDryRunChangesNothingAndListsWhatWouldBeMovedAside() throws Exception {
    Path before = copy(oldPrimary);

    int code = rejoin("--dry-run");

    assertEquals(0, code, err::toString);
    TreeComparison.assertIdentical(before, oldPrimary);
    assertFalse(Files.exists(quarantine.resolve("dry-run")));
    assertTrue(out.toString().contains("a rejoin would move aside "), out::toString);
    for (String p : List.of("docs/a.txt", "docs/b.txt", "docs/only-here/unsent.txt")) {
      assertTrue(out.toString().contains("\n  " + p + "\n"), out::toString);
    }
  }

  @Test
  void aTreeNewerThanThePrimarysIsNeverOverwritten() throws Exception {
    write(oldPrimary, ".watchsync-generation", "5 nfs1\n");
    Path before = copy(oldPrimary);

    int code = rejoin();

    assertEquals(1, code);
    assertEquals(
        "watchsync: refusing to rejoin: this tree is at generation 5 (raised by nfs1), not older"
            + " than the primary's 4 (raised by nfs2), so it may be the newest copy; settle which"
            + " node is the primary first\n",
        err.toString());
    TreeComparison.assertIdentical(before, oldPrimary);
    assertFalse(Files.exists(quarantine));
  }

  @Test
  void aQuarantineInsideTheTreeIsRefused() throws Exception {
    quarantine = oldPrimary.resolve("quarantine");

    assertEquals(1, rejoin());

    assertTrue(err.toString().contains("is inside the tree"), err::toString);
    assertFalse(Files.exists(quarantine));
  }

  @Test
  void aRejoinWithNothingToMoveAsideLeavesNoQuarantine() throws Exception {
    assertEquals(0, rejoin(), err::toString);
    out.getBuffer().setLength(0);

    assertEquals(0, rejoin(), err::toString);

    assertTrue(out.toString().contains("nothing was moved aside"), out::toString);
    try (Stream<Path> dirs = Files.list(quarantine)) {
      assertEquals(2, dirs.count(), "the first rejoin's directory and list only");
    }
  }

  private int rejoin(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "rejoin",
                "--source",
                oldPrimary.toString(),
                "--from",
                newPrimary.url(),
                "--password-file",
                newPrimary.clientPasswordFile().toString(),
                "--quarantine",
                quarantine.toString()));
    args.addAll(List.of(more));
    return WatchsyncCommand.run(
        new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
  }

  private Path onlyQuarantine() throws IOException {
    try (Stream<Path> dirs = Files.list(quarantine)) {
      List<Path> made = dirs.filter(Files::isDirectory).toList();
      assertEquals(1, made.size(), made::toString);
      return made.get(0);
    }
  }

  private Path copy(Path dir) throws IOException, InterruptedException {
    Path to = work.resolve(dir.getFileName() + "-before");
    Process p = new ProcessBuilder("cp", "-a", dir.toString(), to.toString()).start();
    assertEquals(0, p.waitFor());
    return to;
  }

  private static void write(Path root, String relative, String content) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}

package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.DeletionBudget;
import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import io.watchsync.agent.source.SourceCheck;
import io.watchsync.agent.testing.TreeComparison;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every rsync target must do, run against a real rsync daemon and a local directory by the
 * subclasses. The source is changed with the shell (for names Java cannot create), then the
 * transport is asked to send exactly the changed paths, as the agent would.
 */
abstract class RsyncTransportContract {
  @TempDir Path work;
  Path source;
  RsyncTransport transport;

  /** How rsync marks a file sent to this target: {@code >} locally, {@code <} to a remote. */
  abstract String sentMark();

  /** The directory the target writes into. */
  abstract Path replica();

  /** A target URL and password file for the replica. */
  abstract RsyncSettings settings(Path source, List<String> excludeArgs) throws IOException;

  @BeforeEach
  void createSource() throws Exception {
    source = Files.createDirectories(work.resolve("source"));
    transport = new RsyncTransport(settings(source, List.of()));
  }

  static RsyncSettings settings(
      Path source, TargetUrl target, Path passwordFile, List<String> excludeArgs) {
    return new RsyncSettings(
        "rsync",
        source,
        target,
        passwordFile,
        null,
        excludeArgs,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        false,
        List.of(),
        null);
  }

  /**
   * Runs a shell script in the source directory. The script goes on standard input as UTF-8:
   * command line arguments would be encoded in the JVM's file name encoding, which is ASCII under
   * {@code LC_ALL=C} and would turn every non-ASCII name into question marks.
   */
  void sh(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/bin/sh", "-s")
            .directory(source.toFile())
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(script.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException("sh -c '" + script + "' failed: " + output);
    }
  }

  static RelPath path(String utf8) {
    return RelPath.of(utf8);
  }

  static RelPath raw(byte... bytes) {
    return RelPath.of(bytes);
  }

  Delivery sendPlain(RelPath... paths) throws InterruptedException {
    return delivered(transport.send(Arrays.asList(paths), false));
  }

  Delivery sendRecursive(RelPath... paths) throws InterruptedException {
    return delivered(transport.send(Arrays.asList(paths), true));
  }

  Delivery fullSync() throws InterruptedException {
    return delivered(transport.fullSync());
  }

  static Delivery delivered(Delivery d) {
    assertEquals(Verdict.DONE, d.verdict(), () -> "delivery failed: " + d.detail());
    return d;
  }

  void assertReplicated() {
    TreeComparison.assertIdentical(source, replica());
  }

  @Test
  void fullSyncCopiesTheWholeTreeWithLinksModesAndAwkwardNames() throws Exception {
    sh(
        "mkdir -p a/b/c && echo deep > a/b/c/f && echo top > top.txt && chmod 640 top.txt"
            + " && chmod 750 a/b && ln -s a/b/c/f rel-link && ln -s /etc/passwd abs-link"
            + " && ln -s missing dangling && printf n > \"$(printf 'new\\nline')\" && echo d > ./-dash"
            + " && printf b > \"$(printf 'latin1-\\351t\\351')\" && echo q > \"it's\"");
    fullSync();
    assertReplicated();
  }

  @Test
  void aFullSyncFromAnEmptySourceIsHeldByTheDeletionBudgetUntilAllowed() throws Exception {
    sh("echo keep > a.txt && mkdir d && echo x > d/y");
    fullSync();
    sh("rm -r a.txt d");
    RsyncTransport budgeted = budgeted(DeletionBudget.DEFAULT);

    Delivery held = budgeted.fullSync();

    assertEquals(Verdict.DELETIONS_HELD, held.verdict(), held::detail);
    assertEquals(
        "it would delete 3 of the 4 entries on the target, more than 50% of the target"
            + " (max_delete 1000, 50%); sent what is new or changed, deleted nothing",
        held.detail());
    assertEquals("keep\n", Files.readString(replica().resolve("a.txt")), "an empty source wipes");
    assertEquals("x\n", Files.readString(replica().resolve("d/y")));
    delivered(budgeted.fullSync(true));
    assertReplicated();
  }

  @Test
  void aFullSyncWithinTheDeletionBudgetDeletes() throws Exception {
    sh("for i in 1 2 3 4 5 6; do echo $i > f$i; done");
    fullSync();
    sh("rm f1 f2");

    delivered(budgeted(DeletionBudget.parse("2, 50%")).fullSync());

    assertReplicated();
  }

  @Test
  void aFullSyncOverTheEntryLimitIsHeldWhateverThePercentage() throws Exception {
    sh("for i in 1 2 3 4 5 6 7 8 9; do echo $i > f$i; done");
    fullSync();
    sh("rm f1 f2 f3");

    Delivery held = budgeted(DeletionBudget.parse("2")).fullSync();

    assertEquals(Verdict.DELETIONS_HELD, held.verdict(), held::detail);
    assertEquals(
        "it would delete 3 of the 10 entries on the target, more than 2 entries (max_delete 2);"
            + " sent what is new or changed, deleted nothing",
        held.detail());
    assertTrue(Files.exists(replica().resolve("f1")));
  }

  @Test
  void aHeldFullSyncStillSendsWhatIsNewOrChangedAndKeepsReplacedDirectories() throws Exception {
    sh("mkdir -p old/sub && echo o > old/sub/f && echo 1 > changed.txt && echo k > keep.txt");
    fullSync();
    sh(
        "rm -r old && echo 2 > changed.txt && echo n > new.txt && mkdir dir-now && echo d > dir-now/x");
    sh("rm keep.txt && mkdir keep.txt.d");

    Delivery held = budgeted(DeletionBudget.parse("1")).fullSync();

    assertEquals(Verdict.DELETIONS_HELD, held.verdict(), held::detail);
    assertEquals("2\n", Files.readString(replica().resolve("changed.txt")));
    assertEquals("n\n", Files.readString(replica().resolve("new.txt")));
    assertEquals("d\n", Files.readString(replica().resolve("dir-now/x")));
    assertEquals("o\n", Files.readString(replica().resolve("old/sub/f")), "deleted while held");
    assertEquals("k\n", Files.readString(replica().resolve("keep.txt")), "deleted while held");
  }

  @Test
  void nothingIsSentOrDeletedWhileTheSourceIsLost() throws Exception {
    sh("echo keep > a.txt && echo b > b.txt");
    fullSync();
    sh("rm a.txt && echo changed > b.txt && echo new > c.txt");
    RsyncTransport guarded =
        new RsyncTransport(
            settings(source, List.of()), () -> "unmounted", DeletionBudget.UNLIMITED);

    for (Delivery d :
        List.of(
            guarded.send(List.of(path("a.txt"), path("b.txt"), path("c.txt")), false),
            guarded.send(List.of(RelPath.ROOT), true),
            guarded.fullSync(true))) {
      assertEquals(Verdict.SOURCE_LOST, d.verdict(), d::detail);
      assertEquals("source lost: unmounted", d.detail());
    }
    assertEquals("keep\n", Files.readString(replica().resolve("a.txt")));
    assertEquals("b\n", Files.readString(replica().resolve("b.txt")));
    assertFalse(Files.exists(replica().resolve("c.txt")));
  }

  @Test
  void nothingIsPushedToATargetWhoseTreeHasANewerGeneration() throws Exception {
    sh("echo 3 nfs1 > .watchsync-generation && echo a > a.txt && echo b > b.txt");
    fullSync();
    Files.writeString(replica().resolve(".watchsync-generation"), "4 nfs2\n");
    Files.writeString(replica().resolve("written-after-failover.txt"), "new primary's");
    sh("rm a.txt && echo stale > b.txt");

    for (Delivery d :
        List.of(
            transport.fullSync(true),
            transport.send(List.of(path("a.txt"), path("b.txt")), false),
            transport.send(List.of(RelPath.ROOT), true))) {
      assertEquals(Verdict.SPLIT_BRAIN, d.verdict(), d::detail);
      assertTrue(
          d.detail().startsWith("split-brain guard: the target's tree is at generation 4"),
          d.detail());
    }
    assertEquals("a\n", Files.readString(replica().resolve("a.txt")));
    assertEquals("b\n", Files.readString(replica().resolve("b.txt")));
    assertEquals(
        "new primary's", Files.readString(replica().resolve("written-after-failover.txt")));
    assertEquals(Verdict.SPLIT_BRAIN, transport.checkGeneration().verdict());
  }

  @Test
  void aTargetWithAnOlderGenerationOrNoneReceivesTheSourcesGeneration() throws Exception {
    assertTrue(transport.checkGeneration().ok(), "no generation anywhere is generation 0 both");
    sh("echo 2 nfs2 > .watchsync-generation");
    Files.createDirectories(replica());
    // Not the source's size: written within one clock tick, same-size files would look alike.
    Files.writeString(replica().resolve(".watchsync-generation"), "1 nfs-old\n");

    fullSync();

    assertEquals("2 nfs2\n", Files.readString(replica().resolve(".watchsync-generation")));
    assertEquals(
        "generation 2 (raised by nfs2) on the target, 2 (raised by nfs2) here",
        transport.checkGeneration().detail());
  }

  RsyncTransport budgeted(DeletionBudget budget) throws IOException {
    return new RsyncTransport(settings(source, List.of()), SourceCheck.NONE, budget);
  }

  @Test
  void fullSyncDeletesWhatTheSourceNoLongerHas() throws Exception {
    sh("mkdir -p gone/deeper && echo x > gone/deeper/x && echo y > stays");
    fullSync();
    sh("rm -r gone");
    fullSync();
    assertReplicated();
    assertFalse(Files.exists(replica().resolve("gone")));
  }

  @Test
  void aDeletedFileSentAsAPathIsRemovedFromTheReplica() throws Exception {
    sh("echo a > a.txt && echo b > b.txt");
    fullSync();
    sh("rm a.txt");
    sendPlain(path("a.txt"));
    assertFalse(Files.exists(replica().resolve("a.txt")));
    assertReplicated();
  }

  @Test
  void deletingNamesWithWildcardCharactersRemovesExactlyThose() throws Exception {
    sh(
        "mkdir -p 'd[1]' && echo 1 > 'd[1]/x*' && echo 2 > 'd[1]/xy' && echo 3 > 'd1' && echo 4 > 'b\\s'"
            + " && echo 5 > 'bs'");
    fullSync();
    sh("rm 'd[1]/x*' 'b\\s'");
    sendPlain(path("d[1]/x*"), path("b\\s"));
    assertTrue(Files.exists(replica().resolve("d[1]/xy")));
    assertTrue(Files.exists(replica().resolve("d1")));
    assertTrue(Files.exists(replica().resolve("bs")));
    assertReplicated();
  }

  @Test
  void aDeletedNonEmptyDirectorySentAsAPlainPathIsRemovedWithEverythingInIt() throws Exception {
    sh("mkdir -p dir/sub && echo 1 > dir/sub/one && echo 2 > dir/two");
    fullSync();
    sh("rm -r dir");
    sendPlain(path("dir"));
    assertFalse(Files.exists(replica().resolve("dir")));
    assertReplicated();
  }

  @Test
  void aDirectoryReplacedByAFileIsReplacedOnTheReplica() throws Exception {
    sh("mkdir -p thing/inside && echo 1 > thing/inside/one");
    fullSync();
    sh("rm -r thing && echo now-a-file > thing");
    sendPlain(path("thing"));
    assertReplicated();
  }

  @Test
  void aFileReplacedByADirectoryGivesWayToItsContent() throws Exception {
    sh("echo file > x");
    sendPlain(path("x"));
    sh("rm x && mkdir x && echo inner > x/f");
    sendPlain(path("x/f"));
    assertEquals("inner\n", Files.readString(replica().resolve("x/f")));
  }

  @Test
  void aFileWhoseParentDirectoriesAreMissingOnTheTargetArrivesWithThem() throws Exception {
    sh("mkdir -p x/y/z && chmod 750 x/y && echo deep > x/y/z/file");
    Delivery d = sendPlain(path("x/y/z/file"));
    assertEquals("deep\n", Files.readString(replica().resolve("x/y/z/file")));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(replica().resolve("x/y"))));
    assertTrue(
        d.itemized().contains(sentMark() + "f+++++++++ x/y/z/file"),
        () -> "items: " + d.itemized());
  }

  @Test
  void aPlainDirectoryPathCreatesTheDirectoryWithoutItsContents() throws Exception {
    sh("mkdir -p newdir/sub && echo 1 > newdir/one");
    sendPlain(path("newdir"));
    assertTrue(Files.isDirectory(replica().resolve("newdir")));
    assertFalse(Files.exists(replica().resolve("newdir/one")));
    assertFalse(Files.exists(replica().resolve("newdir/sub")));
  }

  @Test
  void aRecursiveSendMirrorsTheSubtreeIncludingDeletionsInsideIt() throws Exception {
    sh("mkdir -p t/u/v && echo a > t/u/v/a && echo b > t/b && echo outside > outside");
    fullSync();
    sh("rm t/u/v/a t/b && echo c > t/c && mkdir t/w && echo d > t/w/d && rm outside");
    Delivery d = sendRecursive(path("t"));
    assertTrue(Files.exists(replica().resolve("t/w/d")));
    assertFalse(Files.exists(replica().resolve("t/b")));
    assertFalse(Files.exists(replica().resolve("t/u/v/a")));
    assertTrue(
        Files.exists(replica().resolve("outside")), "a recursive send stays inside its subtree");
    assertTrue(d.itemized().contains("*deleting t/b"), () -> "items: " + d.itemized());
  }

  @Test
  void aRecursiveSendOfTheRootMirrorsEverything() throws Exception {
    sh("mkdir -p a && echo 1 > a/1 && echo top > top");
    fullSync();
    sh("rm -r a && echo 2 > two && chmod 600 top");
    sendRecursive(RelPath.ROOT);
    assertReplicated();
  }

  @Test
  void aRecursiveSendOfASubtreeDeletedInTheSourceDeletesItOnTheTarget() throws Exception {
    sh("mkdir -p x/y/z && echo 1 > x/y/z/1 && echo 2 > x/y/2");
    fullSync();
    sh("rm -r x/y");
    sendRecursive(path("x/y"));
    assertFalse(Files.exists(replica().resolve("x/y")));
    assertReplicated();
  }

  @Test
  void awkwardNamesArriveByteForByte() throws Exception {
    sh(
        "echo s > 'with space' && printf n > \"$(printf 'new\\nline')\" && echo d > ./-dash"
            + " && mkdir ./--dir && echo e > ./--dir/-e"
            + " && echo u > 'ünïcødé-名前' && printf b > \"$(printf 'latin1-\\351t\\351')\""
            + " && mkdir \"$(printf 'dir\\377')\" && echo x > \"$(printf 'dir\\377')/inner\""
            + " && echo q > \"it's\" && echo star > '*' && echo tab > \"$(printf 'a\\tb')\"");
    sendPlain(
        path("with space"),
        path("new\nline"),
        path("-dash"),
        path("--dir"),
        path("--dir/-e"),
        path("ünïcødé-名前"),
        raw("latin1-\351t\351".getBytes(StandardCharsets.ISO_8859_1)),
        raw("dir\377/inner".getBytes(StandardCharsets.ISO_8859_1)),
        path("it's"),
        path("*"),
        path("a\tb"));
    assertReplicated();
  }

  @Test
  void awkwardNamesShowReadablyInTheItemizedList() throws Exception {
    sh("printf n > \"$(printf 'new\\nline')\" && printf b > \"$(printf 'caf\\303\\251-\\377')\"");
    Delivery d =
        sendPlain(path("new\nline"), raw("caf\303\251-\377".getBytes(StandardCharsets.ISO_8859_1)));
    assertTrue(
        d.itemized().contains(sentMark() + "f+++++++++ new\\x0aline"),
        () -> "items: " + d.itemized());
    assertTrue(
        d.itemized().contains(sentMark() + "f+++++++++ café-\\xff"),
        () -> "items: " + d.itemized());
  }

  @Test
  void aFileRewrittenAtTheSameSizeWithinTheSameSecondIsSentAgain() throws Exception {
    // Pin the whole-second part of the mtime so only the sub-second part differs.
    sh("printf one > f && touch -d '2024-01-02 03:04:05.100000000' f");
    sendPlain(path("f"));
    sh("printf two > f && touch -d '2024-01-02 03:04:05.700000000' f");
    sendPlain(path("f"));
    assertEquals("two", Files.readString(replica().resolve("f")));
    sh("printf six > f && touch -d '2024-01-02 03:04:05.900000000' f");
    fullSync();
    assertEquals("six", Files.readString(replica().resolve("f")));
  }

  @Test
  void symlinksAreCopiedAsLinksAndNeverFollowed() throws Exception {
    sh("mkdir real && echo x > real/x && ln -s real link && ln -s /etc/hostname abs");
    sendPlain(path("real"), path("real/x"), path("link"), path("abs"));
    assertTrue(Files.isSymbolicLink(replica().resolve("link")));
    assertEquals(Path.of("real"), Files.readSymbolicLink(replica().resolve("link")));
    assertEquals(Path.of("/etc/hostname"), Files.readSymbolicLink(replica().resolve("abs")));
    assertReplicated();
  }

  @Test
  void permissionChangesArePropagated() throws Exception {
    sh("echo '#!/bin/sh' > script.sh && mkdir d");
    sendPlain(path("script.sh"), path("d"));
    sh("chmod 750 script.sh && chmod 700 d");
    Delivery d = sendPlain(path("script.sh"), path("d"));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(replica().resolve("script.sh"))));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(replica().resolve("d"), LinkOption.NOFOLLOW_LINKS)));
    assertTrue(d.bytes() < 200, "the unchanged content is matched by the delta, not re-sent");
  }

  @Test
  void deliveryCountsTheFilesAndBytesSent() throws Exception {
    sh("head -c 100000 /dev/urandom > big && echo small > small");
    Files.createDirectories(replica());
    Delivery d = sendPlain(path("big"), path("small"));
    assertEquals(2, d.files());
    assertTrue(d.bytes() >= 100000, () -> "bytes: " + d.bytes());
    assertEquals(
        List.of(sentMark() + "f+++++++++ big", sentMark() + "f+++++++++ small"),
        d.itemized().stream().sorted().toList());
  }

  @Test
  void thousandsOfPathsInOneBatchGoThroughOneRunWithoutDeadlock() throws Exception {
    sh("mkdir many && i=0; while [ $i -lt 5000 ]; do echo $i > many/file-$i; i=$((i+1)); done");
    List<RelPath> paths = new ArrayList<>();
    paths.add(path("many"));
    for (int i = 0; i < 5000; i++) {
      paths.add(path("many/file-" + i));
    }
    Delivery d = delivered(transport.send(paths, false));
    assertEquals(5001, d.files());
    assertReplicated();
  }

  @Test
  void anEmptyBatchRunsNothing() throws Exception {
    Delivery d = delivered(transport.send(List.of(), false));
    assertEquals(0, d.files());
  }

  @Test
  void excludedPathsAreNotSentAndAreLeftAloneOnTheTargetByFullSync() throws Exception {
    transport =
        new RsyncTransport(settings(source, List.of("--exclude=*.tmp", "--exclude=cache/")));
    sh("mkdir cache && echo c > cache/c && echo t > scratch.tmp && echo k > keep");
    Files.createDirectories(replica());
    Files.writeString(replica().resolve("target-only.tmp"), "belongs to the target");
    sendPlain(path("scratch.tmp"), path("keep"), path("cache"), path("cache/c"));
    assertFalse(Files.exists(replica().resolve("scratch.tmp")));
    assertFalse(Files.exists(replica().resolve("cache")));
    fullSync();
    assertTrue(Files.exists(replica().resolve("keep")));
    assertFalse(Files.exists(replica().resolve("scratch.tmp")));
    assertFalse(Files.exists(replica().resolve("cache")));
    assertTrue(
        Files.exists(replica().resolve("target-only.tmp")),
        "excluded names on the target are not deleted");
  }

  @Test
  void probeOfAReachableTargetSucceeds() throws Exception {
    Files.createDirectories(replica());
    delivered(transport.probe());
  }
}

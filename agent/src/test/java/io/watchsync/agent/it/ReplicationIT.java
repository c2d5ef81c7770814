package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.inotify.InotifyLimits;
import io.watchsync.agent.replicate.Work;
import io.watchsync.agent.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** End to end: real inotify, a real rsync daemon with auth on 127.0.0.1, the replica compared. */
@EnabledOnOs(OS.LINUX)
class ReplicationIT extends WithReplicationFixture {

  @Test
  void initialSyncCopiesWhatWasThereBeforeTheAgentStarted() throws Exception {
    f.write("old/a.txt", "before start");
    f.write("b.txt", "b");
    f.startAgent();
    f.assertReplicated();
  }

  @Test
  void createOverwriteAppendAndDeleteAreReplicated() throws Exception {
    f.startAgent();
    Path a = f.write("a.txt", "one");
    f.write("b.txt", "bee");
    f.assertReplicated();
    Files.writeString(a, "two, longer than before");
    Files.writeString(f.source.resolve("b.txt"), " appended", StandardOpenOption.APPEND);
    f.assertReplicated();
    Files.delete(a);
    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("a.txt")));
  }

  @Test
  void nestedMkdirWithFilesAndRecursiveRemoveAreReplicated() throws Exception {
    f.startAgent();
    f.sh("mkdir -p x/y/z && for i in 1 2 3 4 5; do echo $i > x/y/z/f$i; echo $i > x/y/g$i; done");
    f.assertReplicated();
    f.sh("rm -r x/y");
    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("x/y")));
  }

  @Test
  void fileAndDirectoryRenamesAreReplicated() throws Exception {
    f.write("dir/sub/file.txt", "content");
    f.write("lone.txt", "lone");
    f.startAgent();
    f.sh("mv lone.txt renamed.txt && mv dir moved && echo later > moved/sub/later.txt");
    f.assertReplicated();
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("dir")));
  }

  @Test
  void modeChangesAreReplicated() throws Exception {
    Path p = f.write("script.sh", "#!/bin/sh\n");
    f.startAgent();
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-x---"));
    f.assertReplicated();
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(f.daemon.replicaDir().resolve("script.sh"))));
  }

  @Test
  void symlinksAreReplicatedAsLinksAndNeverFollowed() throws Exception {
    f.startAgent();
    f.sh("mkdir real && echo x > real/x && ln -s real link && ln -s /etc/hostname abs");
    f.assertReplicated();
    assertTrue(Files.isSymbolicLink(f.daemon.replicaDir().resolve("link")));
    assertEquals(Path.of("real"), Files.readSymbolicLink(f.daemon.replicaDir().resolve("link")));
  }

  @Test
  void editorStyleSaveOfTheSameSizeWithinTheSameTickReplacesTheFile() throws Exception {
    Path doc = f.write("doc.txt", "version 1");
    f.startAgent();
    f.assertReplicated();
    Path tmp = f.write(".doc.txt.swp", "version 2");
    Files.move(tmp, doc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    f.assertReplicated();
    assertEquals("version 2", Files.readString(f.daemon.replicaDir().resolve("doc.txt")));
  }

  @Test
  void awkwardNamesAreReplicatedByteForByte() throws Exception {
    f.startAgent();
    f.sh(
        "echo s > 'with space' && printf n > \"$(printf 'new\\nline')\" && echo d > ./-dash"
            + " && echo u > 'ünïcødé-名前' && printf b > \"$(printf 'latin1-\\351t\\351')\""
            + " && mkdir \"$(printf 'dir\\377')\" && echo x > \"$(printf 'dir\\377')/inner\"");
    f.assertReplicated();
  }

  @Test
  void excludedPathsAreNeitherSentByEventsNorByFullSync() throws Exception {
    f.excludes.add("*.tmp");
    f.excludes.add("cache/");
    f.write("cache/big.bin", "skip me");
    f.write("keep.txt", "keep");
    f.startAgent();
    f.write("scratch.tmp", "skip");
    f.write("cache/more.bin", "skip");
    f.write("also-keep.txt", "keep");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> Files.exists(f.daemon.replicaDir().resolve("also-keep.txt")),
        () -> "also-keep.txt to arrive");
    f.awaitIdle();
    assertTrue(Files.exists(f.daemon.replicaDir().resolve("keep.txt")));
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("scratch.tmp")));
    assertFalse(Files.exists(f.daemon.replicaDir().resolve("cache")));
  }

  @Test
  void inotifyOverflowTriggersAFullSyncAndNothingIsLost() throws Exception {
    AtomicInteger fullSyncs = new AtomicInteger();
    Files.createDirectories(f.source.resolve("burst"));
    f.startAgent(
        (target, work, delivery, took) -> {
          if (work instanceof Work.FullSync && delivery.ok()) {
            fullSyncs.incrementAndGet();
          }
        });
    int before = fullSyncs.get();
    long maxQueued = InotifyLimits.read().maxQueuedEvents();
    f.agent.suspendWatching();
    // Each new file in the watched burst/ queues CREATE and CLOSE_WRITE: past the queue's limit.
    f.sh(
        "seq -f burst/f%g 1 "
            + maxQueued
            + " | xargs touch && mkdir -p during/overflow && echo late > during/overflow/file");
    f.agent.resumeWatching();
    f.assertReplicated();
    assertTrue(fullSyncs.get() > before, "a full sync ran after the overflow");
    // The directory created during the overflow is watched now.
    f.write("during/overflow/after.txt", "after");
    f.assertReplicated();
  }

  @Test
  void changesMadeWhileTheTargetIsDownArriveWhenItIsBack() throws Exception {
    f.startAgent();
    f.daemon.stop();
    f.write("while-down/a.txt", "a");
    f.write("while-down/b.txt", "b");
    f.sh("rm -f nothing; echo c > c.txt");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> !f.agent.isIdle(),
        () -> "the agent to hold the changes it could not send");
    f.daemon.start();
    f.assertReplicated();
  }
}

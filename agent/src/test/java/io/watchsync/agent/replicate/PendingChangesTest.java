package io.watchsync.agent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingChangesTest {
  private static final Duration WINDOW = Duration.ofMillis(5);
  private static final Duration GRACE = Duration.ofMillis(300);

  @TempDir Path state;

  private PendingChanges queue(int maxFiles, boolean rename) throws Exception {
    return new PendingChanges(
        "t",
        new PendingChanges.Settings(WINDOW, maxFiles, GRACE, rename, 100_000),
        Journal.open(state));
  }

  /** Takes work on a separate thread; null when none came within {@code d}. */
  private static Work takeWithin(PendingChanges q, Duration d) throws Exception {
    java.util.concurrent.atomic.AtomicReference<Work> got =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                got.set(q.take());
              } catch (InterruptedException e) {
                // no work in time
              }
            });
    t.start();
    t.join(d.toMillis());
    if (t.isAlive()) {
      t.interrupt();
      t.join(5000);
    }
    return got.get();
  }

  private static RelPath p(String s) {
    return RelPath.of(s);
  }

  @Test
  void repeatedChangesToOnePathAreSentOnce() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    q.changed(p("a"));
    q.changed(p("b"));
    Work.Batch b = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("a"), p("b")), b.plain());
  }

  @Test
  void fileStillBeingWrittenWaitsForItsClose() throws Exception {
    // A grace far longer than the wait: a loaded machine that stalls this thread for longer than
    // a short grace would otherwise see the file sent by the grace, not wrongly early.
    PendingChanges q =
        new PendingChanges(
            "t",
            new PendingChanges.Settings(WINDOW, 100, Duration.ofSeconds(30), false, 100_000),
            Journal.open(state.resolve("1")));
    q.writing(p("big"));
    assertNull(takeWithin(q, Duration.ofMillis(100)), "sent before close or grace");
    PendingChanges q2 =
        new PendingChanges(
            "t",
            new PendingChanges.Settings(WINDOW, 100, Duration.ofSeconds(30), false, 100_000),
            Journal.open(state.resolve("2")));
    q2.writing(p("big"));
    q2.changed(p("big"));
    Work.Batch b = (Work.Batch) takeWithin(q2, Duration.ofSeconds(5));
    assertEquals(List.of(p("big")), b.plain());
  }

  @Test
  void fileNeverClosedIsSentAfterTheWriteGrace() throws Exception {
    PendingChanges q = queue(100, false);
    q.writing(p("hardlink"));
    Work.Batch b = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("hardlink")), b.plain());
  }

  @Test
  void pathInFlightIsNotHandedToASecondWorker() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("f"));
    Work first = takeWithin(q, Duration.ofSeconds(5));
    q.changed(p("f"));
    q.changed(p("other"));
    Work.Batch second = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("other")), second.plain());
    q.completed(first);
    Work.Batch third = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("f")), third.plain());
  }

  @Test
  void recursiveSendExcludesEverythingBelowIt() throws Exception {
    PendingChanges q = queue(100, false);
    q.subtreeAppeared(p("d"));
    Work.Batch first = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("d")), first.recursive());
    q.changed(p("d/x"));
    assertNull(takeWithin(q, Duration.ofMillis(100)));
  }

  @Test
  void heavyLoadIsCutIntoBatchesOfAtMostMaxFiles() throws Exception {
    PendingChanges q = queue(3, false);
    for (int i = 0; i < 7; i++) {
      q.changed(p("f" + i));
    }
    assertEquals(3, ((Work.Batch) takeWithin(q, Duration.ofSeconds(5))).size());
    assertEquals(3, ((Work.Batch) takeWithin(q, Duration.ofSeconds(5))).size());
    assertEquals(1, ((Work.Batch) takeWithin(q, Duration.ofSeconds(5))).size());
  }

  @Test
  void fullSyncWaitsForRunsInFlightAndRunsAlone() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Work batch = takeWithin(q, Duration.ofSeconds(5));
    q.requestFullSync("test");
    q.changed(p("b"));
    assertNull(takeWithin(q, Duration.ofMillis(100)), "full sync must wait, batches must too");
    q.completed(batch);
    Work full = takeWithin(q, Duration.ofSeconds(5));
    assertInstanceOf(Work.FullSync.class, full);
    q.completed(full);
    assertTrue(q.isIdle(), "changes queued before the full sync are covered by it");
  }

  @Test
  void failedBatchIsRetriedAfterTheDelay() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Work w = takeWithin(q, Duration.ofSeconds(5));
    q.failed(w, Duration.ofMillis(200));
    assertFalse(q.isIdle());
    Work.Batch again = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("a")), again.plain());
  }

  @Test
  void directoryRenameIsOneOperationOnTargetsThatCanRename() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("old"), p("new"));
    Work.Renames r = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(new Work.Rename(p("old"), p("new"))), r.moves());
    q.completed(r);
    Work.Batch verify = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("old"), p("new")), verify.recursive());
  }

  @Test
  void renamesQueuedTogetherAreTakenInOrderAsOneRun() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    q.directoryMoved(p("c"), p("d/e"));
    q.directoryMoved(p("f"), p("g"));
    Work.Renames r = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(
        List.of(
            new Work.Rename(p("a"), p("b")),
            new Work.Rename(p("c"), p("d/e")),
            new Work.Rename(p("f"), p("g"))),
        r.moves());
    q.completed(r);
    Work.Batch verify = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("a"), p("b"), p("c"), p("d/e"), p("f"), p("g")), verify.recursive());
  }

  @Test
  void aRenameOfANameJustRenamedWaitsForTheRunBefore() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    q.directoryMoved(p("b"), p("c"));
    q.directoryMoved(p("x"), p("y"));
    Work.Renames first = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(new Work.Rename(p("a"), p("b"))), first.moves());
    q.completed(first);
    Work.Renames second = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(
        List.of(new Work.Rename(p("b"), p("c")), new Work.Rename(p("x"), p("y"))), second.moves());
  }

  @Test
  void aDirectoryRenamedBeforeItWasSentIsSentUnderItsNewNameInstead() throws Exception {
    PendingChanges q = queue(100, true);
    q.subtreeAppeared(p("fresh"));
    q.directoryMoved(p("fresh"), p("renamed"));
    Work.Batch b = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("fresh"), p("renamed")), b.recursive());
  }

  @Test
  void aDirectoryRenamedAgainWhileItsLastRenameIsBeingCheckedIsRenamedOnTheTarget()
      throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    Work.Renames first = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    q.completed(first); // queues the check of a and b
    q.directoryMoved(p("b"), p("c"));
    Work.Renames second = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(new Work.Rename(p("b"), p("c"))), second.moves());
  }

  @Test
  void aFailedRenameIsReplicatedBySyncingBothTreesAsSubtrees() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("old"), p("new"));
    Work.Renames r = (Work.Renames) takeWithin(q, Duration.ofSeconds(5));
    q.failed(r, Duration.ofSeconds(30));
    Work.Batch instead = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("old"), p("new")), instead.recursive());
    q.completed(instead);
    assertTrue(q.isIdle());
  }

  @Test
  void directoryRenameBecomesDeleteAndRecursiveSendElsewhere() throws Exception {
    PendingChanges q = queue(100, false);
    q.directoryMoved(p("old"), p("new"));
    Work.Batch b = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(List.of(p("old"), p("new")), b.recursive());
  }

  @Test
  void journalReplaysWhatWasNotSentAfterAKill() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("sent"));
    q.changed(p("lost-in-flight"));
    q.subtreeAppeared(p("tree"));
    Work.Batch b = (Work.Batch) takeWithin(q, Duration.ofSeconds(5));
    assertEquals(3, b.size());
    // "sent" was delivered; the others were in flight when the process died.
    q.completed(new Work.Batch(List.of(p("sent")), List.of()));
    // No clean close: the next agent opens the same journal.
    Journal.Replay replay = Journal.open(state).replay();
    assertFalse(replay.cleanStop());
    assertEquals(List.of(p("lost-in-flight"), p("tree")), List.copyOf(replay.pending().keySet()));
    assertTrue(replay.pending().get(p("tree")), "recursive flag survives");
  }

  @Test
  void changeQueuedWhileInFlightSurvivesTheAcknowledgement() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("f"));
    Work w = takeWithin(q, Duration.ofSeconds(5));
    q.changed(p("f"));
    q.completed(w);
    assertEquals(List.of(p("f")), List.copyOf(Journal.open(state).replay().pending().keySet()));
  }

  @Test
  void cleanCloseIsRecognisedOnTheNextStart() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("queued"));
    q.requestFullSync("overflow");
    q.close();
    q.closeJournal();
    Journal.Replay replay = Journal.open(state).replay();
    assertTrue(replay.cleanStop());
    assertTrue(replay.fullSyncWanted());
    assertEquals(List.of(p("queued")), List.copyOf(replay.pending().keySet()));
  }

  @Test
  void tornJournalTailIsIgnored() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("kept"));
    java.nio.file.Files.write(
        state.resolve("journal"),
        new byte[] {'A', 0, 0, 0, 9, 1, 2},
        java.nio.file.StandardOpenOption.APPEND);
    Journal reopened = Journal.open(state);
    assertEquals(List.of(p("kept")), List.copyOf(reopened.replay().pending().keySet()));
  }

  @Test
  void closeWakesWaitingWorkers() throws Exception {
    PendingChanges q = queue(100, false);
    CompletableFuture<Work> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return q.take();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    q.close();
    try {
      assertNull(f.get(5, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      throw e;
    }
  }
}

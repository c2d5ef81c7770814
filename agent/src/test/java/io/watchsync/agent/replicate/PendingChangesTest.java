package io.watchsync.agent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.journal.Journal;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.ManualClock;
import io.watchsync.agent.time.TimedCondition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue's rules, on a clock the test moves: a window, a write grace or a retry delay passes
 * when the test says so, never with the time the test takes to run.
 */
class PendingChangesTest {
  private static final Duration WINDOW = Duration.ofMillis(10);
  private static final Duration GRACE = Duration.ofSeconds(30);
  private static final Duration NANO = Duration.ofNanos(1);
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir Path state;

  private final ManualClock clock = new ManualClock();

  private PendingChanges queue(int maxFiles, boolean rename) throws Exception {
    return queue(new PendingChanges.Settings(WINDOW, maxFiles, GRACE, 100_000), rename);
  }

  private PendingChanges queue(PendingChanges.Settings settings, boolean rename) throws Exception {
    return new PendingChanges("t", settings, rename, Journal.open(state), clock);
  }

  /** The work a worker gets once the batch window has passed. */
  private Work afterTheWindow(PendingChanges q) {
    clock.advance(WINDOW);
    Work w = q.poll();
    assertNotNull(w, "no work after the window");
    return w;
  }

  private Work.Batch batchAfterTheWindow(PendingChanges q) {
    return (Work.Batch) afterTheWindow(q);
  }

  /** Calls {@code take()} on a thread of its own. */
  private static CompletableFuture<Work> takeAsync(PendingChanges q) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return q.take();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static Work.Batch taken(CompletableFuture<Work> f) throws Exception {
    return (Work.Batch) f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  /** Waits until the one worker sleeps until {@code deadline} on the queue's clock. */
  private void awaitWorkerSleepingUntil(long deadline) {
    Await.until(
        DEADLINE,
        () -> clock.deadlinesWaitedFor().equals(List.of(deadline)),
        () -> "a worker sleeping until " + deadline + ": " + clock.deadlinesWaitedFor());
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
    assertEquals(List.of(p("a"), p("b")), batchAfterTheWindow(q).plain());
  }

  @Test
  void aLightLoadIsSentWhenTheWindowCloses() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    clock.advance(WINDOW.minus(NANO));
    q.changed(p("b"));
    assertNull(q.poll(), "sent before the window closed");
    clock.advance(NANO);
    assertEquals(List.of(p("a"), p("b")), ((Work.Batch) q.poll()).plain());
  }

  @Test
  void fileStillBeingWrittenWaitsForItsClose() throws Exception {
    PendingChanges q = queue(100, false);
    q.writing(p("big"));
    clock.advance(GRACE.minus(NANO));
    assertNull(q.poll(), "sent before close or grace");
    q.changed(p("big"));
    assertEquals(List.of(p("big")), batchAfterTheWindow(q).plain());
  }

  @Test
  void fileNeverClosedIsSentAfterTheWriteGrace() throws Exception {
    PendingChanges q = queue(100, false);
    q.writing(p("hardlink"));
    clock.advance(GRACE);
    assertEquals(List.of(p("hardlink")), batchAfterTheWindow(q).plain());
  }

  @Test
  void pathInFlightIsNotHandedToASecondWorker() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("f"));
    Work first = afterTheWindow(q);
    q.changed(p("f"));
    q.changed(p("other"));
    assertEquals(List.of(p("other")), batchAfterTheWindow(q).plain());
    q.completed(first);
    assertEquals(List.of(p("f")), batchAfterTheWindow(q).plain());
  }

  @Test
  void recursiveSendExcludesEverythingBelowIt() throws Exception {
    PendingChanges q = queue(100, false);
    q.subtreeAppeared(p("d"));
    assertEquals(List.of(p("d")), batchAfterTheWindow(q).recursive());
    q.changed(p("d/x"));
    clock.advance(WINDOW);
    assertNull(q.poll());
  }

  @Test
  void heavyLoadIsCutIntoBatchesOfAtMostMaxFilesWithoutWaitingForTheWindow() throws Exception {
    PendingChanges q = queue(3, false);
    for (int i = 0; i < 7; i++) {
      q.changed(p("f" + i));
    }
    assertEquals(3, ((Work.Batch) q.poll()).size());
    assertEquals(3, ((Work.Batch) q.poll()).size());
    assertNull(q.poll(), "the last one waits for its window");
    assertEquals(1, batchAfterTheWindow(q).size());
  }

  @Test
  void fullSyncWaitsForRunsInFlightAndRunsAlone() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Work batch = afterTheWindow(q);
    q.requestFullSync("test");
    q.changed(p("b"));
    clock.advance(WINDOW);
    assertNull(q.poll(), "full sync must wait, batches must too");
    q.completed(batch);
    Work full = q.poll();
    assertInstanceOf(Work.FullSync.class, full);
    q.completed(full);
    assertTrue(q.isIdle(), "changes queued before the full sync are covered by it");
  }

  @Test
  void failedBatchIsRetriedAfterTheDelay() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Work w = afterTheWindow(q);
    Duration retryIn = Duration.ofMillis(200);
    q.failed(w, retryIn);
    assertFalse(q.isIdle());
    clock.advance(retryIn.minus(NANO));
    assertNull(q.poll(), "retried before the delay");
    clock.advance(NANO);
    assertEquals(List.of(p("a")), batchAfterTheWindow(q).plain());
  }

  @Test
  void aPausedQueueHandsOutNothingUntilThePauseEnds() throws Exception {
    PendingChanges q = queue(100, false);
    Duration pause = Duration.ofSeconds(5);
    q.pause(pause);
    q.changed(p("a"));
    clock.advance(pause.minus(NANO));
    assertNull(q.poll(), "sent during the pause");
    clock.advance(NANO);
    assertEquals(List.of(p("a")), ((Work.Batch) q.poll()).plain());
  }

  @Test
  void aHeldQueueHandsOutNothingUntilReleased() throws Exception {
    PendingChanges q = queue(100, false);
    q.hold(true);
    q.changed(p("a"));
    clock.advance(Duration.ofHours(1));
    assertNull(q.poll(), "sent while held");
    q.hold(false);
    assertEquals(List.of(p("a")), ((Work.Batch) q.poll()).plain());
  }

  @Test
  void aReconfiguredWindowAppliesToTheNextBatch() throws Exception {
    PendingChanges q = queue(100, false);
    Duration longer = WINDOW.multipliedBy(10);
    q.reconfigure(new PendingChanges.Settings(longer, 100, GRACE, 100_000));
    q.changed(p("a"));
    clock.advance(longer.minus(NANO));
    assertNull(q.poll(), "cut by the old window");
    clock.advance(NANO);
    assertEquals(List.of(p("a")), ((Work.Batch) q.poll()).plain());
  }

  @Test
  void aReconfiguredQueueStillRenamesOnTheTarget() throws Exception {
    PendingChanges q = queue(100, true);
    q.reconfigure(new PendingChanges.Settings(WINDOW, 50, GRACE, 100_000));
    q.directoryMoved(p("old"), p("new"));
    assertInstanceOf(Work.Renames.class, q.poll());
  }

  @Test
  void directoryRenameIsOneOperationOnTargetsThatCanRename() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("old"), p("new"));
    Work.Renames r = (Work.Renames) q.poll();
    assertEquals(List.of(new Work.Rename(p("old"), p("new"))), r.moves());
    q.completed(r);
    assertEquals(List.of(p("old"), p("new")), batchAfterTheWindow(q).recursive());
  }

  @Test
  void renamesQueuedTogetherAreTakenInOrderAsOneRun() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    q.directoryMoved(p("c"), p("d/e"));
    q.directoryMoved(p("f"), p("g"));
    Work.Renames r = (Work.Renames) q.poll();
    assertEquals(
        List.of(
            new Work.Rename(p("a"), p("b")),
            new Work.Rename(p("c"), p("d/e")),
            new Work.Rename(p("f"), p("g"))),
        r.moves());
    q.completed(r);
    assertEquals(
        List.of(p("a"), p("b"), p("c"), p("d/e"), p("f"), p("g")),
        batchAfterTheWindow(q).recursive());
  }

  @Test
  void aRenameOfANameJustRenamedWaitsForTheRunBefore() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    q.directoryMoved(p("b"), p("c"));
    q.directoryMoved(p("x"), p("y"));
    Work.Renames first = (Work.Renames) q.poll();
    assertEquals(List.of(new Work.Rename(p("a"), p("b"))), first.moves());
    q.completed(first);
    Work.Renames second = (Work.Renames) q.poll();
    assertEquals(
        List.of(new Work.Rename(p("b"), p("c")), new Work.Rename(p("x"), p("y"))), second.moves());
  }

  @Test
  void aDirectoryRenamedBeforeItWasSentIsSentUnderItsNewNameInstead() throws Exception {
    PendingChanges q = queue(100, true);
    q.subtreeAppeared(p("fresh"));
    q.directoryMoved(p("fresh"), p("renamed"));
    assertEquals(List.of(p("fresh"), p("renamed")), batchAfterTheWindow(q).recursive());
  }

  @Test
  void aDirectoryRenamedAgainWhileItsLastRenameIsBeingCheckedIsRenamedOnTheTarget()
      throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("a"), p("b"));
    Work.Renames first = (Work.Renames) q.poll();
    q.completed(first); // queues the check of a and b
    q.directoryMoved(p("b"), p("c"));
    Work.Renames second = (Work.Renames) q.poll();
    assertEquals(List.of(new Work.Rename(p("b"), p("c"))), second.moves());
  }

  @Test
  void aFailedRenameIsReplicatedBySyncingBothTreesAsSubtrees() throws Exception {
    PendingChanges q = queue(100, true);
    q.directoryMoved(p("old"), p("new"));
    Work.Renames r = (Work.Renames) q.poll();
    q.failed(r, Duration.ofSeconds(30));
    Work.Batch instead = batchAfterTheWindow(q);
    assertEquals(List.of(p("old"), p("new")), instead.recursive());
    q.completed(instead);
    assertTrue(q.isIdle());
  }

  @Test
  void directoryRenameBecomesDeleteAndRecursiveSendElsewhere() throws Exception {
    PendingChanges q = queue(100, false);
    q.directoryMoved(p("old"), p("new"));
    assertEquals(List.of(p("old"), p("new")), batchAfterTheWindow(q).recursive());
  }

  @Test
  void aFailedRunKeepsItsChangesAge() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Work w = afterTheWindow(q);
    clock.advance(Duration.ofSeconds(5));
    q.failed(w, Duration.ZERO);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(WINDOW.plusSeconds(6), q.oldestPendingAge());
    q.completed(batchAfterTheWindow(q));
    assertEquals(Duration.ZERO, q.oldestPendingAge());
  }

  @Test
  void journalReplaysWhatWasNotSentAfterAKill() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("sent"));
    q.changed(p("lost-in-flight"));
    q.subtreeAppeared(p("tree"));
    assertEquals(3, batchAfterTheWindow(q).size());
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
    Work w = afterTheWindow(q);
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
    Files.write(
        state.resolve("journal"), new byte[] {'A', 0, 0, 0, 9, 1, 2}, StandardOpenOption.APPEND);
    Journal reopened = Journal.open(state);
    assertEquals(List.of(p("kept")), List.copyOf(reopened.replay().pending().keySet()));
  }

  // ---- take(): waiting workers ------------------------------------------------------------

  @Test
  void closeWakesWaitingWorkers() throws Exception {
    PendingChanges q = queue(100, false);
    CompletableFuture<Work> f = takeAsync(q);
    awaitWorkerSleepingUntil(TimedCondition.NO_DEADLINE);
    q.close();
    assertNull(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), "work after close");
  }

  @Test
  void aWorkerWaitingForTheWindowTakesTheBatchWhenTheClockPassesIt() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    CompletableFuture<Work> f = takeAsync(q);
    awaitWorkerSleepingUntil(clock.nanoTime() + WINDOW.toNanos());
    clock.advance(WINDOW);
    assertEquals(List.of(p("a")), taken(f).plain());
  }

  @Test
  void aChangeWakesAnIdleWorkerToWaitForItsWindow() throws Exception {
    PendingChanges q = queue(100, false);
    CompletableFuture<Work> f = takeAsync(q);
    awaitWorkerSleepingUntil(TimedCondition.NO_DEADLINE);
    q.changed(p("a"));
    awaitWorkerSleepingUntil(clock.nanoTime() + WINDOW.toNanos());
    clock.advance(WINDOW);
    assertEquals(List.of(p("a")), taken(f).plain());
  }

  @Test
  void aFileClosedWakesAWorkerSleepingThroughItsWriteGrace() throws Exception {
    PendingChanges q = queue(100, false);
    q.writing(p("big"));
    CompletableFuture<Work> f = takeAsync(q);
    awaitWorkerSleepingUntil(clock.nanoTime() + GRACE.toNanos());
    q.changed(p("big"));
    awaitWorkerSleepingUntil(clock.nanoTime() + WINDOW.toNanos());
    clock.advance(WINDOW);
    assertEquals(List.of(p("big")), taken(f).plain());
  }

  @Test
  void aWorkerPausedByAnOutageWakesWhenThePauseEnds() throws Exception {
    PendingChanges q = queue(100, false);
    q.changed(p("a"));
    Duration pause = Duration.ofSeconds(5);
    q.pause(pause);
    CompletableFuture<Work> f = takeAsync(q);
    awaitWorkerSleepingUntil(clock.nanoTime() + pause.toNanos());
    clock.advance(pause);
    assertEquals(List.of(p("a")), taken(f).plain());
  }
}

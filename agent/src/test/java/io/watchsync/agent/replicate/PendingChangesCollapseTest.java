package io.watchsync.agent.replicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.journal.Journal;
import io.watchsync.agent.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backlog past {@code max_pending} collapses into directories or a full sync, losing nothing. */
class PendingChangesCollapseTest {
  private static final Duration WINDOW = Duration.ofMillis(5);

  @TempDir Path state;

  private final ManualClock clock = new ManualClock();

  private PendingChanges queue(int maxPending) throws Exception {
    return queue(maxPending, false);
  }

  private PendingChanges queue(int maxPending, boolean rename) throws Exception {
    return new PendingChanges(
        "t",
        new PendingChanges.Settings(WINDOW, 1000, Duration.ofSeconds(30), maxPending),
        rename,
        Journal.open(state),
        clock);
  }

  private static RelPath p(String s) {
    return RelPath.of(s);
  }

  /** The work a worker gets once the batch window has passed. */
  private Work take(PendingChanges q) {
    clock.advance(WINDOW);
    Work w = q.poll();
    assertNotNull(w, "no work after the window");
    return w;
  }

  @Test
  void pathsPastTheLimitCollapseIntoTheirDirectorySentWhole() throws Exception {
    PendingChanges q = queue(4);
    for (int i = 0; i < 5; i++) {
      q.changed(p("d/f" + i));
    }
    q.changed(p("other"));
    assertEquals(2, q.size());
    Work.Batch b = (Work.Batch) take(q);
    assertEquals(List.of(p("other")), b.plain());
    assertEquals(List.of(p("d")), b.recursive());
  }

  @Test
  void changesBelowADirectoryWaitingToBeSentWholeAddNothing() throws Exception {
    PendingChanges q = queue(4);
    for (int i = 0; i < 5; i++) {
      q.changed(p("d/f" + i));
    }
    for (int i = 0; i < 10_000; i++) {
      q.changed(p("d/sub/g" + i));
      q.writing(p("d/h" + i));
    }
    assertEquals(1, q.size());
  }

  @Test
  void aBacklogOfTopLevelNamesBecomesAFullSync() throws Exception {
    PendingChanges q = queue(2);
    q.changed(p("a"));
    q.changed(p("b"));
    q.changed(p("c"));
    assertEquals(0, q.size());
    assertInstanceOf(Work.FullSync.class, take(q));
  }

  @Test
  void aCollapsedBacklogIsWhatTheJournalReplaysAfterAKill() throws Exception {
    PendingChanges q = queue(4);
    for (int i = 0; i < 5; i++) {
      q.changed(p("d/f" + i));
    }
    q.changed(p("other"));
    Journal.Replay replay = Journal.open(state).replay();
    assertEquals(Map.of(p("d"), true, p("other"), false), replay.pending());
  }

  @Test
  void aBacklogCollapsedIntoAFullSyncSurvivesAKill() throws Exception {
    PendingChanges q = queue(2);
    q.changed(p("a"));
    q.changed(p("b"));
    q.changed(p("c"));
    Journal.Replay replay = Journal.open(state).replay();
    assertTrue(replay.fullSyncWanted());
    assertTrue(replay.pending().isEmpty(), replay.pending()::toString);
  }

  @Test
  void aChangeBelowAWaitingDirectoryIsNotDroppedByAFullSyncThatStartedBeforeIt() throws Exception {
    PendingChanges q = queue(100);
    q.subtreeAppeared(p("d"));
    q.requestFullSync("test");
    Work.FullSync running = (Work.FullSync) take(q);
    // d waits: the full sync may have passed d/x already when it is written.
    q.changed(p("d/x"));
    q.completed(running);
    Work.Batch b = (Work.Batch) take(q);
    assertEquals(List.of(p("d")), b.recursive());
  }

  @Test
  void renamesWaitingForTheTargetBecomeSendsOfBothNamesWhenTheBacklogCollapses() throws Exception {
    PendingChanges q = queue(6, true);
    q.directoryMoved(p("a/old"), p("a/new"));
    for (int i = 0; i < 4; i++) {
      q.changed(p("b/" + i));
    }
    q.changed(p("c"));
    Work.Batch b = (Work.Batch) take(q);
    assertEquals(List.of(p("c")), b.plain());
    assertEquals(List.of(p("a"), p("b")), b.recursive().stream().sorted().toList(), b.toString());
  }

  @Test
  void aJournalReplayedPastTheLimitCollapsesAtStart() throws Exception {
    PendingChanges first = queue(100);
    for (int i = 0; i < 10; i++) {
      first.changed(p("d/f" + i));
    }
    PendingChanges q = queue(4);
    assertEquals(1, q.size());
    Work.Batch b = (Work.Batch) take(q);
    assertEquals(List.of(p("d")), b.recursive());
  }
}

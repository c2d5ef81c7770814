package io.watchsync.agent.replicate;

import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.journal.Journal;
import io.watchsync.agent.time.MonotonicClock;
import io.watchsync.agent.time.TimedCondition;
import io.watchsync.agent.watch.ChangeSink;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The changes one target still has to receive, and the rules for cutting them into work.
 *
 * <p>Changes are keyed by path: the last state wins, because the transport re-reads the source when
 * it sends. A file still open for writing waits for its close (or the write grace). Workers call
 * {@link #take()} to get the next {@link Work}; when the load is light a batch is cut after a short
 * window, when it is heavy a free worker takes everything that piled up, up to the batch limit. Two
 * runs never touch the same path at once (see {@link InFlight}), and a full sync runs alone. Every
 * queued path is written to the {@link Journal} before {@code take} can hand it out. Time is read
 * from a {@link MonotonicClock}, so tests drive windows, graces and retry delays by hand.
 */
public final class PendingChanges implements ChangeSink {
  private static final Logger LOG = Logger.getLogger("watchsync");

  /**
   * How batches are cut. Past {@code maxPending} waiting paths the backlog collapses into whole
   * directories, or into a full sync (see {@link CollapsePlan}), so its memory stays bounded
   * however long a target is down.
   */
  public record Settings(Duration window, int maxFiles, Duration writeGrace, int maxPending) {
    public Settings {
      if (maxPending < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
      }
    }
  }

  /**
   * Directory renames run on the target in one go at most: one remote shell for many renames, where
   * one each would cost a round trip (over ssh, some 0.1-0.2 s) per directory.
   */
  static final int MAX_RENAMES_PER_RUN = 100;

  private static final class Entry {
    final RelPath path;
    boolean recursive;

    /** A directory made or moved in and not sent yet: the target does not have it. */
    boolean appeared;

    boolean awaitingClose;
    long readyAt;
    long sequence;
    long firstQueued;

    Entry(RelPath path, long now) {
      this.path = path;
      this.firstQueued = now;
    }
  }

  private final String name;
  private volatile Settings settings;
  private final boolean renameOnTarget;
  private final Journal journal;
  private final MonotonicClock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final TimedCondition changed;
  private final LinkedHashMap<RelPath, Entry> entries = new LinkedHashMap<>();
  private final ArrayDeque<Work.Rename> renames = new ArrayDeque<>();
  private final InFlight inFlight = new InFlight();

  /** When each path in flight was first queued, so a failed run does not reset the lag. */
  private final Map<RelPath, Long> inFlightSince = new HashMap<>();

  private long sequence;
  private String fullSyncReason;
  private boolean fullSyncRunning;
  private long pausedUntil = Long.MIN_VALUE;
  private boolean held;
  private boolean closed;

  /**
   * When each worker waiting for a batch to become ready wakes by itself ({@link
   * TimedCondition#NO_DEADLINE}: only when signalled), one entry per worker.
   */
  private final List<Long> batchWaitsEnd = new ArrayList<>();

  /**
   * The queue of the target called {@code name}, starting with what {@code journal} still holds.
   * {@code renameOnTarget} says whether the target renames a directory itself (ssh and local
   * targets do, an rsync daemon does not); it holds for the queue's whole life, since a target's
   * state directory, and so its queue, belongs to one target URL.
   */
  public PendingChanges(String name, Settings settings, boolean renameOnTarget, Journal journal) {
    this(name, settings, renameOnTarget, journal, MonotonicClock.SYSTEM);
  }

  /** The same queue, reading and waiting for time on {@code clock}. */
  PendingChanges(
      String name,
      Settings settings,
      boolean renameOnTarget,
      Journal journal,
      MonotonicClock clock) {
    this.name = name;
    this.settings = settings;
    this.renameOnTarget = renameOnTarget;
    this.journal = journal;
    this.clock = clock;
    this.changed = clock.newCondition(lock);
    Journal.Replay replay = journal.replay();
    long now = clock.nanoTime();
    for (Map.Entry<RelPath, Boolean> e : replay.pending().entrySet()) {
      Entry entry = new Entry(e.getKey(), now);
      entry.recursive = e.getValue();
      entry.readyAt = now;
      entry.sequence = ++sequence;
      entries.put(e.getKey(), entry);
    }
    if (replay.fullSyncWanted()) {
      fullSyncReason = "a full sync was still due when the agent stopped";
    }
    lock.lock();
    try {
      collapseIfOverLimit();
    } finally {
      lock.unlock();
    }
  }

  // ---- ChangeSink: called by the watcher thread -------------------------------------------

  @Override
  public void changed(RelPath path) {
    lock.lock();
    try {
      if (coveredByWaitingDirectory(path)) {
        return;
      }
      Entry e = entry(path, false);
      e.awaitingClose = false;
      e.readyAt = clock.nanoTime();
      collapseIfOverLimit();
      wake(false);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void writing(RelPath path) {
    lock.lock();
    try {
      if (coveredByWaitingDirectory(path)) {
        return;
      }
      Entry e = entries.get(path);
      long now = clock.nanoTime();
      if (e == null) {
        e = entry(path, false);
        e.awaitingClose = true;
        e.readyAt = now + settings.writeGrace().toNanos();
        collapseIfOverLimit();
      } else if (!e.awaitingClose) {
        e.awaitingClose = true;
        e.readyAt = Math.max(e.readyAt, now + settings.writeGrace().toNanos());
        e.sequence = ++sequence;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void subtreeAppeared(RelPath dir) {
    lock.lock();
    try {
      if (coveredByWaitingDirectory(dir)) {
        return;
      }
      subtreeReady(dir).appeared = true;
      collapseIfOverLimit();
      wake(false);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void directoryMoved(RelPath from, RelPath to) {
    lock.lock();
    try {
      boolean fromCovered = coveredByWaitingDirectory(from);
      boolean toCovered = coveredByWaitingDirectory(to);
      if (fromCovered && toCovered) {
        return;
      }
      if (renameOnTarget && !waitingToBeSent(from)) {
        // Journaled as recursive sends: after a crash, the rename degrades to delete + send.
        journal.added(from, true);
        journal.added(to, true);
        renames.add(new Work.Rename(from, to));
      } else {
        if (!fromCovered) {
          subtreeReady(from);
        }
        if (!toCovered) {
          subtreeReady(to);
        }
      }
      collapseIfOverLimit();
      wake(false);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void eventsLost(RelPath subtree) {
    requestFullSync("inotify events were lost (queue overflow)");
  }

  // ---- control ----------------------------------------------------------------------------

  /** Asks for a full sync; it starts once the runs in flight have finished. */
  public void requestFullSync(String reason) {
    lock.lock();
    try {
      fullSyncDue(reason);
      wake(true);
    } finally {
      lock.unlock();
    }
  }

  /** Cuts the next batches by {@code next}. */
  public void reconfigure(Settings next) {
    lock.lock();
    try {
      settings = next;
      collapseIfOverLimit();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out work until {@code delay} has passed (the target is down). */
  public void pause(Duration delay) {
    lock.lock();
    try {
      pausedUntil = Math.max(pausedUntil, clock.nanoTime() + delay.toNanos());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Hands out no work at all while {@code on} (the source's file system is gone); changes keep
   * being queued and journaled, and go out once released.
   */
  public void hold(boolean on) {
    lock.lock();
    try {
      held = on;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The full sync in flight was not run because it would delete too much: it is not queued again
   * (that would only repeat the same refusal) until someone asks for a full sync again, but the
   * journal still says one is due, so a restart tries it again. Changes queued meanwhile go out as
   * usual.
   */
  public void fullSyncHeld() {
    lock.lock();
    try {
      releaseFullSync();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting worker with {@code null}; pending changes stay in the journal. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Writes the queue as a snapshot and marks the journal cleanly closed. */
  public void closeJournal() throws IOException {
    lock.lock();
    try {
      journal.closeClean(snapshot(), fullSyncReason != null);
    } finally {
      lock.unlock();
    }
  }

  /** Flushes the journal to disk. */
  public void forceJournal() {
    lock.lock();
    try {
      journal.force();
      if (journal.wantsCompaction(entries.size())) {
        journal.compact(snapshot(), fullSyncReason != null);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---- workers ----------------------------------------------------------------------------

  /** Blocks until there is work this worker may start, and returns it; {@code null} once closed. */
  public Work take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        Next next = next(clock.nanoTime());
        if (next.handsOut()) {
          return next.work();
        }
        if (next.waitsForBatch()) {
          awaitBatch(next.wakeAt());
        } else {
          changed.awaitUntil(next.wakeAt());
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sleeps until {@code wakeAt} where {@link #wake} sees it, so a new change can end it early. */
  private void awaitBatch(long wakeAt) throws InterruptedException {
    batchWaitsEnd.add(wakeAt);
    try {
      changed.awaitUntil(wakeAt);
    } finally {
      batchWaitsEnd.remove(Long.valueOf(wakeAt));
    }
  }

  /**
   * The work {@link #take()} would return at this instant, without waiting: {@code null} when it
   * would wait, or once closed.
   */
  Work poll() {
    lock.lock();
    try {
      return next(clock.nanoTime()).work();
    } finally {
      lock.unlock();
    }
  }

  /**
   * What a worker does next: start {@code work}, stop ({@code work} null: the queue is closed), or
   * sleep until {@code wakeAt} or a signal. {@code waitsForBatch}: it sleeps only because no batch
   * is ready yet, so a new change may be worth waking it for (see {@link #wake}).
   */
  private record Next(boolean handsOut, Work work, long wakeAt, boolean waitsForBatch) {
    static Next start(Work work) {
      return new Next(true, work, 0, false);
    }

    static Next stop() {
      return new Next(true, null, 0, false);
    }

    static Next sleepUntil(long wakeAt) {
      return new Next(false, null, wakeAt, false);
    }

    static Next sleepUntilSignalled() {
      return sleepUntil(TimedCondition.NO_DEADLINE);
    }

    static Next awaitBatchUntil(long wakeAt) {
      return new Next(false, null, wakeAt, true);
    }
  }

  private Next next(long now) {
    if (closed) {
      return Next.stop();
    }
    if (held) {
      return Next.sleepUntilSignalled();
    }
    if (now < pausedUntil) {
      return Next.sleepUntil(pausedUntil);
    }
    if (fullSyncRunning) {
      return Next.sleepUntilSignalled();
    }
    if (fullSyncReason != null) {
      return inFlight.isEmpty() ? Next.start(startFullSync()) : Next.sleepUntilSignalled();
    }
    Work.Renames moves = takeRenames();
    if (moves != null) {
      return Next.start(moves);
    }
    return cutBatch(now);
  }

  /**
   * The renames at the head of the queue that touch no path in flight (nor one taken before them
   * here: a rename of a name just renamed waits for the next run), as one piece of work; null when
   * the first one must wait.
   */
  private Work.Renames takeRenames() {
    List<Work.Rename> moves = new ArrayList<>();
    while (moves.size() < MAX_RENAMES_PER_RUN && !renames.isEmpty()) {
      Work.Rename next = renames.peek();
      if (inFlight.conflicts(next.from(), true) || inFlight.conflicts(next.to(), true)) {
        break;
      }
      renames.poll();
      inFlight.add(next.from(), true);
      inFlight.add(next.to(), true);
      moves.add(next);
    }
    if (moves.isEmpty()) {
      return null;
    }
    inFlight.startRun();
    return new Work.Renames(moves);
  }

  /**
   * A batch of the paths ready at {@code now}, once it is full or the oldest has waited out the
   * window; otherwise when to look again.
   */
  private Next cutBatch(long now) {
    List<Entry> ready = new ArrayList<>();
    long oldestReady = Long.MAX_VALUE;
    long nextReady = TimedCondition.NO_DEADLINE;
    for (Entry e : entries.values()) {
      if (e.readyAt > now) {
        nextReady = Math.min(nextReady, e.readyAt);
        continue;
      }
      if (inFlight.conflicts(e.path, e.recursive) || blockedByRename(e.path)) {
        continue;
      }
      ready.add(e);
      oldestReady = Math.min(oldestReady, e.readyAt);
      if (ready.size() >= settings.maxFiles()) {
        break;
      }
    }
    if (ready.isEmpty()) {
      return Next.awaitBatchUntil(nextReady);
    }
    long windowEnds = oldestReady + settings.window().toNanos();
    if (ready.size() < settings.maxFiles() && now < windowEnds) {
      return Next.awaitBatchUntil(windowEnds);
    }
    List<RelPath> plain = new ArrayList<>();
    List<RelPath> recursive = new ArrayList<>();
    for (Entry e : ready) {
      entries.remove(e.path);
      inFlightSince.merge(e.path, e.firstQueued, Math::min);
      inFlight.add(e.path, e.recursive);
      (e.recursive ? recursive : plain).add(e.path);
    }
    inFlight.startRun();
    return Next.start(new Work.Batch(List.copyOf(plain), List.copyOf(recursive)));
  }

  private boolean blockedByRename(RelPath path) {
    for (Work.Rename r : renames) {
      if (overlaps(path, r.from()) || overlaps(path, r.to())) {
        return true;
      }
    }
    return false;
  }

  private static boolean overlaps(RelPath a, RelPath b) {
    return a.startsWith(b) || b.startsWith(a);
  }

  private Work.FullSync startFullSync() {
    fullSyncRunning = true;
    inFlight.startRun();
    Work.FullSync work = new Work.FullSync(sequence, fullSyncReason);
    fullSyncReason = null;
    return work;
  }

  /** Marks {@code work} as delivered. */
  public void completed(Work work) {
    lock.lock();
    try {
      if (work instanceof Work.Batch b) {
        release(b);
        for (RelPath p : b.plain()) {
          acknowledge(p);
        }
        for (RelPath p : b.recursive()) {
          acknowledge(p);
        }
      } else if (work instanceof Work.Renames r) {
        renamesEnded(r);
      } else if (work instanceof Work.FullSync f) {
        releaseFullSync();
        dropCoveredBy(f.sequence());
        if (fullSyncReason == null) {
          journal.fullSyncDone();
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Puts {@code work} back: it is retried after {@code retryIn}, or at once if zero. */
  public void failed(Work work, Duration retryIn) {
    lock.lock();
    try {
      long readyAt = clock.nanoTime() + retryIn.toNanos();
      if (work instanceof Work.Batch b) {
        release(b);
        for (RelPath p : b.plain()) {
          requeue(p, false, readyAt);
        }
        for (RelPath p : b.recursive()) {
          requeue(p, true, readyAt);
        }
      } else if (work instanceof Work.Renames r) {
        renamesEnded(r);
      } else if (work instanceof Work.FullSync f) {
        releaseFullSync();
        if (fullSyncReason == null) {
          fullSyncReason = f.reason();
        }
      }
      collapseIfOverLimit();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- inspection -------------------------------------------------------------------------

  /** Number of paths waiting (not counting those in flight). */
  public int size() {
    lock.lock();
    try {
      return entries.size() + 2 * renames.size();
    } finally {
      lock.unlock();
    }
  }

  /** True when nothing is queued, in flight, or due (a full sync included). */
  public boolean isIdle() {
    lock.lock();
    try {
      return entries.isEmpty()
          && renames.isEmpty()
          && inFlight.isEmpty()
          && fullSyncReason == null
          && !fullSyncRunning;
    } finally {
      lock.unlock();
    }
  }

  /** Number of paths waiting or being sent right now. */
  public int pendingAndInFlight() {
    lock.lock();
    try {
      int sending = 0;
      for (RelPath p : inFlightSince.keySet()) {
        if (!entries.containsKey(p)) {
          sending++;
        }
      }
      return entries.size() + 2 * renames.size() + sending;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Age of the oldest change not yet delivered (queued or being sent), the replication lag; zero
   * when nothing waits. A run that fails keeps its changes' age: the lag grows while a target is
   * down.
   */
  public Duration oldestPendingAge() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      long oldestAge = 0;
      for (Entry e : entries.values()) {
        oldestAge = Math.max(oldestAge, now - e.firstQueued);
      }
      for (long since : inFlightSince.values()) {
        oldestAge = Math.max(oldestAge, now - since);
      }
      return Duration.ofNanos(oldestAge);
    } finally {
      lock.unlock();
    }
  }

  // ---- internals (lock held) --------------------------------------------------------------

  private Entry entry(RelPath path, boolean recursive) {
    Entry e = entries.get(path);
    if (e == null) {
      e = new Entry(path, clock.nanoTime());
      e.recursive = recursive;
      entries.put(path, e);
      journal.added(path, recursive);
    } else if (recursive && !e.recursive) {
      e.recursive = true;
      journal.added(path, true);
    }
    e.sequence = ++sequence;
    return e;
  }

  /**
   * Whether {@code dir} (or a directory above it) appeared in the tree (made or moved in) and has
   * not been sent yet. The target does not have it, so renaming it there would only fail; sending
   * it under its new name does the job in the next batch.
   */
  private boolean waitingToBeSent(RelPath dir) {
    for (RelPath p = dir; p != null; p = p.parent()) {
      Entry e = entries.get(p);
      if (e != null && e.appeared) {
        return true;
      }
    }
    return false;
  }

  private Entry subtreeReady(RelPath path) {
    Entry e = entry(path, true);
    e.awaitingClose = false;
    e.readyAt = clock.nanoTime();
    return e;
  }

  private void requeue(RelPath path, boolean recursive, long readyAt) {
    Entry e = entries.get(path);
    Long since = inFlightSince.remove(path);
    if (e == null && coveredByWaitingDirectory(path)) {
      return;
    }
    if (e == null) {
      e = new Entry(path, since != null ? since : clock.nanoTime());
      e.recursive = recursive;
      e.readyAt = readyAt;
      e.sequence = ++sequence;
      entries.put(path, e);
    } else {
      // A newer change is already queued; keep it, but never lose the recursive part.
      e.recursive |= recursive;
      if (since != null && since - e.firstQueued < 0) {
        e.firstQueued = since;
      }
    }
  }

  private void acknowledge(RelPath path) {
    inFlightSince.remove(path);
    // A change queued while the path was in flight keeps its journal record.
    if (!entries.containsKey(path)) {
      journal.done(path);
    }
  }

  private void release(Work.Batch b) {
    for (RelPath p : b.plain()) {
      inFlight.remove(p, false);
    }
    for (RelPath p : b.recursive()) {
      inFlight.remove(p, true);
    }
    inFlight.endRun();
  }

  /**
   * Whether the rename worked or failed, both names are then synced as subtrees. After a rename
   * that worked, that verifies the renamed tree (metadata only: nothing is re-sent) and removes
   * what may be left at the old name; after one that failed, it replicates the move as {@link
   * #directoryMoved} does when renames are not run on the target.
   */
  private void renamesEnded(Work.Renames r) {
    for (Work.Rename move : r.moves()) {
      inFlight.remove(move.from(), true);
      inFlight.remove(move.to(), true);
      for (RelPath p : List.of(move.from(), move.to())) {
        if (!coveredByWaitingDirectory(p)) {
          subtreeReady(p);
        }
      }
    }
    inFlight.endRun();
    collapseIfOverLimit();
  }

  /**
   * Whether a directory above {@code path} waits to be sent whole: its run has not started, so it
   * will read {@code path} as it is then, and the change needs no entry of its own. The directory's
   * entry counts as changed now, so that a full sync already under way does not drop it as covered.
   */
  private boolean coveredByWaitingDirectory(RelPath path) {
    for (RelPath p = path.parent(); p != null && !p.isRoot(); p = p.parent()) {
      Entry e = entries.get(p);
      if (e != null && e.recursive) {
        e.sequence = ++sequence;
        return true;
      }
    }
    return false;
  }

  private void fullSyncDue(String reason) {
    if (fullSyncReason == null) {
      fullSyncReason = reason;
      journal.fullSyncWanted();
    }
  }

  /**
   * Keeps the backlog within {@code maxPending}: past it, waiting paths collapse into directories
   * sent whole, and when even that leaves too many, into a full sync. It collapses to half the
   * limit, so a backlog that keeps growing collapses once per {@code maxPending / 2} new paths, not
   * on every change. Renames waiting to run on the target become sends of both names, as a rename
   * that failed would. Nothing is lost: every change is covered by what replaces it, and the
   * journal is rewritten to hold that.
   */
  private void collapseIfOverLimit() {
    int limit = settings.maxPending();
    int waiting = entries.size() + 2 * renames.size();
    if (waiting <= limit) {
      return;
    }
    List<Work.Rename> moves = List.copyOf(renames);
    renames.clear();
    for (Work.Rename move : moves) {
      subtreeReady(move.from());
      subtreeReady(move.to());
    }
    CollapsePlan plan = CollapsePlan.of(entries.keySet(), Math.max(1, limit / 2));
    if (plan.wholeTree()) {
      entries.clear();
      fullSyncDue(waiting + " changes waiting, more than batching.max_pending " + limit);
      LOG.info(
          name
              + ": "
              + waiting
              + " changes waiting, more than batching.max_pending "
              + limit
              + ": a full sync replaces them");
    } else {
      mergeInto(plan.directories());
      LOG.info(
          name
              + ": "
              + waiting
              + " changes waiting, more than batching.max_pending "
              + limit
              + ": "
              + plan.directories().size()
              + " directories are sent whole instead, "
              + entries.size()
              + " paths wait");
    }
    journal.compact(snapshot(), fullSyncReason != null);
    changed.signalAll();
  }

  /** Replaces every waiting path at or below one of {@code dirs} by one recursive entry each. */
  private void mergeInto(Set<RelPath> dirs) {
    Map<RelPath, Entry> merged = new HashMap<>();
    long now = clock.nanoTime();
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      RelPath dir = null;
      for (RelPath p = e.path; p != null && !p.isRoot(); p = p.parent()) {
        if (dirs.contains(p)) {
          dir = p;
        }
      }
      if (dir == null) {
        continue;
      }
      it.remove();
      Entry m = merged.computeIfAbsent(dir, d -> new Entry(d, now));
      if (e.firstQueued - m.firstQueued < 0) {
        m.firstQueued = e.firstQueued;
      }
      if (e.path.equals(dir)) {
        m.appeared = e.appeared;
      }
    }
    for (Entry m : merged.values()) {
      m.recursive = true;
      m.readyAt = now;
      m.sequence = ++sequence;
      entries.put(m.path, m);
    }
  }

  private void releaseFullSync() {
    fullSyncRunning = false;
    inFlight.endRun();
  }

  private void dropCoveredBy(long fullSyncSequence) {
    Iterator<Entry> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.sequence <= fullSyncSequence && !e.awaitingClose) {
        it.remove();
        journal.done(e.path);
      }
    }
  }

  private Map<RelPath, Boolean> snapshot() {
    Map<RelPath, Boolean> snap = new LinkedHashMap<>();
    for (Work.Rename r : renames) {
      snap.put(r.from(), true);
      snap.put(r.to(), true);
    }
    for (Entry e : entries.values()) {
      snap.merge(e.path, e.recursive, Boolean::logicalOr);
    }
    return snap;
  }

  /**
   * Wakes the workers when the change needs them: a worker asleep until later than this change's
   * window would close (it may be waiting for a file's write grace) must cut a batch for it; a
   * worker about to wake for a window anyway is left alone, so a burst does not make every worker
   * rescan the queue on every event.
   */
  private void wake(boolean everyone) {
    if (everyone || entries.size() >= settings.maxFiles()) {
      changed.signalAll();
      return;
    }
    long windowCloses = clock.nanoTime() + settings.window().toNanos();
    for (long wakeAt : batchWaitsEnd) {
      if (wakeAt > windowCloses) {
        changed.signalAll();
        return;
      }
    }
  }
}

package io.watchsync.agent.replicate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replicates to one target: a few worker threads, each taking work from the target's {@link
 * PendingChanges} and handing it to the {@link Transport}. A target that is down pauses only its
 * own queue, with exponential backoff, and nothing is dropped: failed work goes back to the queue
 * (and stays in the journal) until it is delivered.
 */
public final class TargetReplicator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private static final int LOGGED_NAMES = 5;
  private static final Duration SOURCE_LOST_PAUSE = Duration.ofSeconds(1);

  private final String name;
  private final PendingChanges pending;
  private volatile Transport transport;
  private volatile int workers;
  private volatile Backoff downBackoff;
  private volatile Backoff retryBackoff;
  private volatile Backoff failedBackoff;
  private final ReplicationListener listener;
  private final List<Thread> threads = new ArrayList<>();
  private boolean started;
  private volatile long downSince;
  private volatile Duration maxDelay;

  /** How the last run ended, and what it said when it failed. */
  private volatile TargetState lastRun = TargetState.UP;

  private volatile String lastProblem;

  /** Why every run is held (the source's file system is gone); null when it is not. */
  private volatile String sourceHold;

  /** Why the last full sync was not run (the deletion budget); null when it was. */
  private volatile String deletionHold;

  /** The next full sync may delete beyond the budget: an operator looked and said yes. */
  private volatile boolean deletionsAllowed;

  /** Full syncs started so far: each gets the next number. */
  private final AtomicLong fullSyncsStarted = new AtomicLong();

  /** The numbers of the latest full syncs that ended, and that completed; 0 before the first. */
  private volatile long lastFullSyncEnded;

  private volatile long lastFullSyncDone;

  public TargetReplicator(
      String name,
      PendingChanges pending,
      Transport transport,
      int workers,
      Duration initialDelay,
      Duration maxDelay,
      ReplicationListener listener) {
    this.name = name;
    this.pending = pending;
    this.transport = transport;
    this.workers = workers;
    setDelays(initialDelay, maxDelay);
    this.listener = listener;
  }

  public String name() {
    return name;
  }

  public PendingChanges pending() {
    return pending;
  }

  /** True while the target is considered unreachable. */
  public boolean isDown() {
    return downSince != 0;
  }

  /** How the target is doing: held beats the outcome of the last run. */
  public TargetState state() {
    if (sourceHold != null || deletionHold != null) {
      return TargetState.HELD;
    }
    return lastRun;
  }

  /**
   * Why the target is not {@link TargetState#UP}: the hold's reason, or the last failed run's
   * detail; null when it is up.
   */
  public String stateDetail() {
    String hold = sourceHold != null ? sourceHold : deletionHold;
    if (hold != null) {
      return hold;
    }
    return lastRun == TargetState.UP ? null : lastProblem;
  }

  /**
   * Holds every run until {@link #releaseSourceHold()}: the source's file system is gone, so
   * nothing may be sent or deleted. Runs in flight finish (the transport checks the source right
   * before each run too); changes keep being queued.
   */
  public void holdForSource(String reason) {
    sourceHold = reason;
    pending.hold(true);
  }

  /** Lets runs go again after {@link #holdForSource}. */
  public void releaseSourceHold() {
    sourceHold = null;
    pending.hold(false);
  }

  /**
   * Lets the next full sync delete beyond the deletion budget, once (the operator ran {@code
   * sync-now --allow-deletes}). The caller also asks for that full sync.
   */
  public void allowDeletionsOnce() {
    deletionsAllowed = true;
  }

  /** Where the full syncs stand: how many started, which ended, which completed. */
  public FullSyncMarks fullSyncMarks() {
    long done = lastFullSyncDone;
    long ended = lastFullSyncEnded;
    return new FullSyncMarks(fullSyncsStarted.get(), Math.max(ended, done), done);
  }

  public synchronized void start() {
    started = true;
    startMissingWorkers();
  }

  /**
   * Takes new settings from the next piece of work on: runs in flight finish with the old ones. A
   * smaller worker count retires the extra workers after their current run.
   */
  public synchronized void reconfigure(
      Transport transport, int workers, Duration initialDelay, Duration maxDelay) {
    this.transport = transport;
    setDelays(initialDelay, maxDelay);
    this.workers = workers;
    if (started) {
      startMissingWorkers();
    }
  }

  /** One backoff per kind of failure, each from {@code initialDelay} up to {@code maxDelay}. */
  private void setDelays(Duration initialDelay, Duration maxDelay) {
    this.downBackoff = new Backoff(initialDelay, maxDelay);
    this.retryBackoff = new Backoff(initialDelay, maxDelay);
    this.failedBackoff = new Backoff(initialDelay, maxDelay);
    this.maxDelay = maxDelay;
  }

  private void startMissingWorkers() {
    for (int i = 0; i < workers; i++) {
      if (i < threads.size() && threads.get(i).isAlive()) {
        continue;
      }
      int number = i + 1;
      Thread t = new Thread(() -> workLoop(number), "watchsync-" + name + "-" + number);
      t.setDaemon(true);
      if (i < threads.size()) {
        threads.set(i, t);
      } else {
        threads.add(t);
      }
      t.start();
    }
  }

  private void workLoop(int number) {
    try {
      Work work;
      while (number <= workers && (work = pending.take()) != null) {
        deliver(work);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(Work work) throws InterruptedException {
    long started = System.nanoTime();
    long fullSyncNumber = work instanceof Work.FullSync ? fullSyncsStarted.incrementAndGet() : 0;
    Delivery d;
    try {
      d = run(work);
    } catch (InterruptedException e) {
      pending.failed(work, Duration.ZERO);
      throw e;
    } catch (RuntimeException e) {
      d = new Delivery(Delivery.Verdict.FAILED, "internal error: " + e, 0, 0, List.of());
      LOG.log(Level.SEVERE, name + ": " + describe(work) + " failed", e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    listener.delivered(name, work, d, took);
    if (d.verdict() == Delivery.Verdict.DONE && fullSyncNumber > lastFullSyncDone) {
      lastFullSyncDone = fullSyncNumber;
    }
    if (fullSyncNumber > lastFullSyncEnded) {
      lastFullSyncEnded = fullSyncNumber;
    }
    switch (d.verdict()) {
      case DONE -> succeeded(work, d, took);
      case TARGET_DOWN -> {
        Duration delay = downBackoff.nextDelay();
        // Paused before the work goes back, or another worker takes it again at once.
        pending.pause(delay);
        pending.failed(work, Duration.ZERO);
        ranInto(TargetState.DOWN, d);
        if (downSince == 0) {
          downSince = System.nanoTime();
        }
        LOG.warning(
            name
                + ": target unreachable ("
                + d.detail()
                + "); "
                + pending.size()
                + " changes kept, retrying in "
                + millis(delay));
      }
      case RETRY_LATER -> {
        Duration delay = retryBackoff.nextDelay();
        pending.failed(work, delay);
        ranInto(TargetState.FAILING, d);
        LOG.warning(
            name
                + ": "
                + describe(work)
                + " incomplete ("
                + d.detail()
                + "); retrying in "
                + millis(delay));
      }
      case FAILED -> {
        // A refused login or an unknown module: an operator's fix, or a peer that is rejoining
        // and opens its module in a moment. Backing off from the initial delay catches the
        // second soon; the delay reaches max_delay after a few tries, and the changes stay queued.
        Duration delay = failedBackoff.nextDelay();
        pending.pause(delay);
        pending.failed(work, Duration.ZERO);
        ranInto(TargetState.FAILING, d);
        LOG.severe(
            name
                + ": "
                + describe(work)
                + " failed ("
                + d.detail()
                + "); retrying in "
                + millis(delay));
      }
      case SOURCE_LOST -> {
        // The agent holds the target as soon as its own check sees the loss; until then, wait a
        // moment rather than spin on the same refusal.
        pending.pause(SOURCE_LOST_PAUSE);
        pending.failed(work, Duration.ZERO);
        LOG.warning(name + ": " + describe(work) + " not sent: " + d.detail());
      }
      case SPLIT_BRAIN -> {
        Duration delay = maxDelay;
        pending.pause(delay);
        pending.failed(work, Duration.ZERO);
        ranInto(TargetState.HELD, d);
        LOG.severe(name + ": nothing sent: " + d.detail() + "; checking again in " + millis(delay));
      }
      case DELETIONS_HELD -> {
        deletionHold = d.detail();
        pending.fullSyncHeld();
        LOG.severe(
            name
                + ": full sync held: "
                + d.detail()
                + "; changes are still sent as they happen. Check the source, then run"
                + " `watchsync sync-now --allow-deletes --target "
                + name
                + "` to let it delete");
      }
    }
  }

  private void ranInto(TargetState state, Delivery d) {
    lastRun = state;
    lastProblem = d.detail();
  }

  private Delivery run(Work work) throws InterruptedException {
    Transport transport = this.transport;
    if (work instanceof Work.Batch b) {
      Delivery plain = b.plain().isEmpty() ? null : transport.send(b.plain(), false);
      if (plain != null && !plain.ok()) {
        return plain;
      }
      Delivery rec = b.recursive().isEmpty() ? null : transport.send(b.recursive(), true);
      if (plain == null) {
        return rec;
      }
      if (rec == null) {
        return plain;
      }
      return plain.followedBy(rec);
    }
    if (work instanceof Work.Renames r) {
      Delivery d = transport.rename(r.moves());
      // A rename that failed on the target (the old name was never sent, say) is not an error:
      // the queue follows every rename with a recursive send of both names either way.
      boolean retry =
          d.verdict() == Delivery.Verdict.TARGET_DOWN
              || d.verdict() == Delivery.Verdict.SOURCE_LOST
              || d.verdict() == Delivery.Verdict.SPLIT_BRAIN;
      return retry ? d : Delivery.done(d.detail());
    }
    Work.FullSync f = (Work.FullSync) work;
    boolean allowed = deletionsAllowed;
    LOG.info(
        name
            + ": full sync started ("
            + f.reason()
            + (allowed ? ", deletions allowed by sync-now --allow-deletes" : "")
            + ")");
    Delivery d = transport.fullSync(allowed);
    if (allowed && d.ok()) {
      deletionsAllowed = false;
    }
    return d;
  }

  private void succeeded(Work work, Delivery d, Duration took) {
    pending.completed(work);
    retryBackoff.reset();
    failedBackoff.reset();
    lastRun = TargetState.UP;
    if (work instanceof Work.FullSync) {
      deletionHold = null;
    }
    if (downSince != 0) {
      long downFor = System.nanoTime() - downSince;
      downSince = 0;
      downBackoff.reset();
      LOG.info(name + ": target reachable again after " + millis(Duration.ofNanos(downFor)));
    }
    if (work instanceof Work.FullSync) {
      LOG.info(name + ": full sync done in " + millis(took) + ", " + stats(d));
    } else if (work instanceof Work.Renames r) {
      LOG.info(name + ": " + d.detail() + " in " + millis(took));
    } else if (d.files() > 0 || LOG.isLoggable(Level.FINE)) {
      LOG.info(
          name
              + ": "
              + describe(work)
              + " sent in "
              + millis(took)
              + ", "
              + stats(d)
              + names(d.itemized()));
    }
    if (LOG.isLoggable(Level.FINE)) {
      for (String item : d.itemized()) {
        LOG.fine(name + ": " + item);
      }
    }
  }

  private static String stats(Delivery d) {
    return d.files() + " files, " + d.bytes() + " bytes";
  }

  private static String names(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    List<String> shown = items.subList(0, Math.min(LOGGED_NAMES, items.size()));
    String more = items.size() > LOGGED_NAMES ? " …+" + (items.size() - LOGGED_NAMES) : "";
    return ": " + String.join(", ", shown) + more;
  }

  private static String describe(Work work) {
    if (work instanceof Work.Batch b) {
      return "batch of " + b.size() + (b.size() == 1 ? " path" : " paths");
    }
    if (work instanceof Work.Renames r) {
      Work.Rename first = r.moves().get(0);
      return r.moves().size() == 1
          ? "rename " + first.from() + " -> " + first.to()
          : r.moves().size() + " renames";
    }
    return "full sync";
  }

  private static String millis(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
  }

  /** Stops taking work and waits up to {@code grace} for the runs in flight. */
  public void stop(Duration grace) throws InterruptedException {
    pending.close();
    long deadline = System.nanoTime() + grace.toNanos();
    List<Thread> all;
    synchronized (this) {
      all = List.copyOf(threads);
    }
    for (Thread t : all) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
      if (t.isAlive()) {
        t.interrupt();
        t.join(5_000);
      }
    }
    Transport last;
    synchronized (this) {
      last = transport;
    }
    last.close();
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(10));
  }
}

package io.watchsync.agent;

import io.watchsync.agent.callback.Callbacks;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.DurationParser;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.journal.Journal;
import io.watchsync.agent.replicate.FanOutSink;
import io.watchsync.agent.replicate.PendingChanges;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.StateLock;
import io.watchsync.agent.replicate.TargetReplicator;
import io.watchsync.agent.replicate.Transport;
import io.watchsync.agent.source.SourceGuard;
import io.watchsync.agent.source.SourceMountException;
import io.watchsync.agent.status.Metrics;
import io.watchsync.agent.status.StatusServer;
import io.watchsync.agent.status.TargetStatus;
import io.watchsync.agent.watch.ChangeSink;
import io.watchsync.agent.watch.TreeWatcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running replication: one tree watcher feeding one queue per target, each drained by its own
 * workers. Start order matters: watches first, then the initial full sync, so nothing changed
 * during the full sync is lost.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync");

  private volatile AgentConfig config;
  private volatile List<RunningTarget> targets = List.of();
  private final ScheduledExecutorService timers;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Metrics metrics = new Metrics();
  private final StatusView statusView = new StatusView(this, metrics);
  private volatile StatusServer statusServer;
  private volatile Callbacks callbacks;
  private volatile TreeWatcher watcher;
  private FanOutSink fanOut;
  private ReplicationListener listener;
  private ScheduledFuture<?> periodicFullSync;
  private volatile String fatalError;
  private volatile boolean closed;

  /** What the source was at start; every run checks it is still that. */
  private volatile SourceGuard sourceGuard;

  /** Why the source is lost now (every target held); null while it is there. */
  private volatile String sourceLoss;

  private final Object sourceWatch = new Object();

  private Agent(AgentConfig config) {
    this.config = config;
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "watchsync-timers");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts replicating: locks and replays each target's state, sets up every watch, queues the
   * initial full syncs and starts the workers.
   *
   * @throws AgentException when the agent cannot start (message says why, one line)
   */
  public static Agent start(AgentConfig config, ReplicationListener listener)
      throws AgentException {
    Agent agent = new Agent(config);
    try {
      agent.open(listener);
      return agent;
    } catch (AgentException | RuntimeException e) {
      agent.close();
      throw e;
    }
  }

  private void open(ReplicationListener outside) throws AgentException {
    listener =
        (target, work, delivery, took) -> {
          metrics.delivered(target, work, delivery, took);
          Callbacks c = callbacks;
          if (c != null) {
            c.delivered(target, work, delivery, took);
          }
          outside.delivered(target, work, delivery, took);
        };
    Path source = config.source();
    try {
      sourceGuard = SourceGuard.record(source, config.guards().sourceMount());
    } catch (SourceMountException e) {
      throw new AgentException(e.getMessage(), e);
    }
    LOG.info(
        "source "
            + source
            + ": "
            + sourceGuard.describe()
            + (sourceGuard.mountsBelow() > 0
                ? ", with " + sourceGuard.mountsBelow() + " file systems mounted below it"
                : "")
            + " (source_mount "
            + config.guards().sourceMount().word()
            + ", max_delete "
            + config.guards().maxDelete().format()
            + ")");
    try {
      callbacks = Callbacks.start(config.callbacks(), config.stateDir(), source, metrics);
    } catch (IOException e) {
      throw new AgentException(e.getMessage(), e);
    }
    List<RunningTarget> opened = new ArrayList<>();
    try {
      for (TargetConfig tc : config.targets()) {
        opened.add(openTarget(config, tc));
      }
    } finally {
      targets = List.copyOf(opened);
    }
    fanOut = new FanOutSink(sinks(targets));
    watcher = startWatcher(config);
    for (RunningTarget t : targets) {
      t.replicator().start();
    }
    startStatusServer(config.status());
    timers.scheduleWithFixedDelay(this::flushJournals, 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(this::checkSource, 1, 1, TimeUnit.SECONDS);
    schedulePeriodicFullSync(config.fullSyncInterval());
  }

  /** Locks and replays one target's state and queues its initial sync; starts no worker. */
  RunningTarget openTarget(AgentConfig config, TargetConfig tc) throws AgentException {
    Path source = config.source();
    Path stateDir = config.stateDirFor(tc);
    String what = source + " to " + tc.url();
    StateLock lock = null;
    try {
      lock = StateLock.acquire(stateDir, what);
      Files.writeString(
          stateDir.resolve("about"),
          "source=" + source + "\ntarget=" + tc.url() + "\n",
          StandardCharsets.UTF_8);
      Transport transport = TargetTransports.create(config, tc, sourceGuard);
      Journal journal = Journal.open(stateDir);
      PendingChanges pending =
          new PendingChanges(
              tc.name(), RunningTarget.batchSettings(config), transport.supportsRename(), journal);
      TargetReplicator replicator =
          new TargetReplicator(
              tc.name(),
              pending,
              transport,
              tc.workers(),
              config.retry().initialDelay(),
              config.retry().maxDelay(),
              listener);
      queueInitialSync(tc, journal.replay(), pending);
      return new RunningTarget(tc, lock, pending, replicator);
    } catch (IOException | IllegalStateException e) {
      if (lock != null) {
        try {
          lock.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IllegalStateException) {
        throw new AgentException(e.getMessage(), e);
      }
      throw new AgentException("state directory " + stateDir + ": " + e.getMessage(), e);
    }
  }

  /** Watches the whole tree with {@code config}'s excludes, reporting to {@link #fanOut}. */
  TreeWatcher startWatcher(AgentConfig config) throws AgentException {
    long t0 = System.nanoTime();
    TreeWatcher w =
        TreeWatcher.builder()
            .root(config.source())
            .filter(ExcludeRules.forTree(config.excludes()))
            .sink(fanOut)
            .errorListener(this::watchError)
            .onRootLost(why -> timers.execute(() -> sourceLost(why)))
            .build();
    try {
      w.start();
    } catch (IOException e) {
      w.close();
      throw new AgentException(e.getMessage(), e);
    }
    LOG.info(
        "watching "
            + w.watchedDirectories()
            + " directories under "
            + config.source()
            + " ("
            + Duration.ofNanos(System.nanoTime() - t0).toMillis()
            + " ms)");
    return w;
  }

  void schedulePeriodicFullSync(Duration every) {
    if (periodicFullSync != null) {
      periodicFullSync.cancel(false);
      periodicFullSync = null;
    }
    if (!every.isZero()) {
      periodicFullSync =
          timers.scheduleAtFixedRate(
              () -> requestFullSync("periodic full sync, every " + DurationParser.format(every)),
              every.toMillis(),
              every.toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Takes a new configuration without a restart and without losing a pending change (see {@link
   * ConfigReload}).
   *
   * @throws AgentException when {@code next} cannot be taken; the running configuration then stays
   *     in force, untouched
   */
  public synchronized void reload(AgentConfig next) throws AgentException {
    if (closed) {
      throw new AgentException("the agent is stopping");
    }
    new ConfigReload(this, config, next).apply();
  }

  /** The targets now, in configuration order. */
  List<RunningTarget> targets() {
    return targets;
  }

  /** What the source was at start. */
  SourceGuard sourceGuard() {
    return sourceGuard;
  }

  /** True while the tree is watched (not while the source is lost). */
  boolean watching() {
    return watcher != null;
  }

  /**
   * Switches to {@code next}, its targets (already open) and, when the excludes changed, the
   * watcher that applies them (already started).
   */
  void switchTo(AgentConfig next, List<RunningTarget> nextTargets, TreeWatcher newWatcher) {
    config = next;
    fanOut.setSinks(sinks(nextTargets));
    targets = List.copyOf(nextTargets);
    if (newWatcher != null) {
      swapWatcher(newWatcher);
    }
  }

  /**
   * Puts {@code next} in the old watcher's place, unless the source was lost meanwhile: then it is
   * closed too, and the watch starts again when the source is back.
   */
  private void swapWatcher(TreeWatcher next) {
    TreeWatcher old;
    synchronized (sourceWatch) {
      old = watcher;
      if (sourceLoss == null && !closed) {
        watcher = next;
      } else {
        old = next;
      }
    }
    if (old != null) {
      old.close();
    }
  }

  void restartCallbacks(AgentConfig next, AgentConfig current) {
    Callbacks old = callbacks;
    callbacks = null;
    if (old != null) {
      old.close();
    }
    try {
      callbacks = Callbacks.start(next.callbacks(), next.stateDir(), next.source(), metrics);
    } catch (IOException e) {
      LOG.severe("callbacks: " + e.getMessage() + "; keeping the previous callbacks");
      try {
        callbacks =
            Callbacks.start(current.callbacks(), current.stateDir(), current.source(), metrics);
      } catch (IOException again) {
        LOG.severe("callbacks: " + again.getMessage() + "; running without callbacks");
      }
    }
  }

  /**
   * Serves the status endpoint. A port that is taken does not stop replication: the agent goes on
   * without the endpoint, and says so (monitoring then finds it unreachable).
   */
  private void startStatusServer(AgentConfig.Status settings) {
    if (!settings.enabled()) {
      return;
    }
    try {
      statusServer = StatusServer.start(settings, statusView, metrics);
      LOG.info("status endpoint on " + statusServer.url());
    } catch (IOException e) {
      LOG.severe(e.getMessage() + "; running without the status endpoint");
    }
  }

  /** Stops the status endpoint and serves it again with {@code settings}. */
  void restartStatusServer(AgentConfig.Status settings) {
    if (statusServer != null) {
      statusServer.close();
      statusServer = null;
    }
    startStatusServer(settings);
  }

  /** The targets' queues, and a counter of inotify overflows for the metrics. */
  private List<ChangeSink> sinks(List<RunningTarget> targets) {
    List<ChangeSink> sinks = new ArrayList<>();
    for (RunningTarget t : targets) {
      sinks.add(t.pending());
    }
    sinks.add(
        new ChangeSink() {
          @Override
          public void eventsLost(RelPath subtree) {
            metrics.overflow();
          }
        });
    return sinks;
  }

  private void queueInitialSync(TargetConfig tc, Journal.Replay replay, PendingChanges pending) {
    int replayed = replay.pending().size();
    if (replayed > 0) {
      LOG.info(tc.name() + ": " + replayed + " changes from the journal queued again");
    }
    if (config.initialSync()) {
      pending.requestFullSync("initial sync");
    } else if (replay.firstStart()) {
      pending.requestFullSync("first start for this target");
    } else if (!replay.cleanStop()) {
      pending.requestFullSync("the agent did not stop cleanly last time");
    }
  }

  /**
   * Checks, once a second, that the source is still the tree recorded at start: holds every target
   * the moment it is not, and lets them go, with a full sync, once it is back. While the source is
   * there, file systems newly mounted below it are adopted.
   */
  private void checkSource() {
    try {
      SourceGuard guard = sourceGuard;
      if (!guard.isLost()) {
        String why = guard.lostOrRemounted();
        if (why == null) {
          guard.adoptNewMounts();
          return;
        }
        sourceLost(why);
      }
      if (guard.tryRecover()) {
        sourceBack();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "checking the source: " + e, e);
    }
  }

  /**
   * The source is gone (unmounted, deleted, replaced): every target is held, nothing is sent or
   * deleted, and the watch stops, so that events from the detached tree are not queued. Changes
   * queued before stay queued and are checked against the source again once it is back.
   */
  private void sourceLost(String why) {
    synchronized (sourceWatch) {
      if (closed || sourceLoss != null) {
        return;
      }
      sourceLoss = why;
      sourceGuard.markLost(why);
      for (RunningTarget t : targets) {
        t.replicator().holdForSource("source lost: " + why);
      }
      TreeWatcher w = watcher;
      watcher = null;
      if (w != null) {
        w.close();
      }
      LOG.severe(
          "source lost: "
              + why
              + "; every target is held (nothing sent, nothing deleted) until "
              + config.source()
              + " is back as "
              + sourceGuard.describe()
              + (sourceGuard.recoverable()
                  ? ""
                  : "; a file system without a disk of its own cannot be told apart from a new"
                      + " one, so restart the agent once it is back as it should be"));
    }
  }

  /** The source is back as it was at start: watch it again and bring every target up to date. */
  private void sourceBack() {
    synchronized (sourceWatch) {
      if (closed || sourceLoss == null) {
        return;
      }
      try {
        watcher = startWatcher(config);
      } catch (AgentException e) {
        LOG.warning("source back, but it cannot be watched yet: " + e.getMessage());
        return;
      }
      sourceLoss = null;
      for (RunningTarget t : targets) {
        t.replicator().releaseSourceHold();
      }
      LOG.info(
          "source "
              + config.source()
              + " is back ("
              + sourceGuard.describe()
              + "): replication resumes with a full sync");
      requestFullSync("the source is back after it was lost");
    }
  }

  /** Why the source is lost now, or null while it is there. */
  public String sourceLoss() {
    return sourceLoss;
  }

  private void watchError(Throwable error, boolean fatal) {
    if (fatal) {
      LOG.severe(error.getMessage());
      fatalError = error.getMessage();
      stopped.countDown();
    } else {
      LOG.warning(error.getMessage());
    }
  }

  private void flushJournals() {
    for (RunningTarget t : targets) {
      try {
        t.pending().forceJournal();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, t.config().name() + ": cannot write the journal", e);
      }
    }
    Callbacks c = callbacks;
    if (c != null) {
      try {
        c.force();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "callbacks: cannot write a journal", e);
      }
    }
  }

  /** Asks every target for a full sync. */
  public void requestFullSync(String reason) {
    requestFullSync(null, reason);
  }

  /**
   * Asks the target named {@code target} (every target when null) for a full sync.
   *
   * @return false when no target has that name
   */
  public boolean requestFullSync(String target, String reason) {
    return requestFullSync(target, reason, false);
  }

  /**
   * Asks the target named {@code target} (every target when null) for a full sync; with {@code
   * allowDeletions} it may delete beyond the deletion budget, once.
   *
   * @return false when no target has that name
   */
  public boolean requestFullSync(String target, String reason, boolean allowDeletions) {
    boolean found = false;
    for (RunningTarget t : targets) {
      if (target == null || t.config().name().equals(target)) {
        if (allowDeletions) {
          t.replicator().allowDeletionsOnce();
        }
        t.pending().requestFullSync(reason);
        found = true;
      }
    }
    return found;
  }

  /** Callbacks not yet accepted by their URLs. */
  public int callbacksWaiting() {
    Callbacks c = callbacks;
    return c == null ? 0 : c.waiting();
  }

  /** Counters of what was sent and what failed since the start. */
  public Metrics metrics() {
    return metrics;
  }

  /** The status endpoint's base URL ({@code http://127.0.0.1:9873}), or null when it is off. */
  public String statusUrl() {
    return statusServer == null ? null : statusServer.url();
  }

  /** The targets as the status endpoint shows them. */
  public List<TargetStatus> targetStatus() {
    return statusView.targets();
  }

  /** Blocks until {@link #close()} or a fatal watch error; returns that error, or null. */
  public String awaitStop() throws InterruptedException {
    stopped.await();
    return fatalError;
  }

  /** True when every target has nothing queued or in flight. */
  public boolean isIdle() {
    for (RunningTarget t : targets) {
      if (!t.pending().isIdle()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stops reading inotify events until {@link #resumeWatching()}: the kernel queues them, and drops
   * them past {@code fs.inotify.max_queued_events} (an overflow, then a full sync). Used for
   * maintenance and to prove in tests that an overflow loses nothing.
   */
  public void suspendWatching() {
    TreeWatcher w = watcher;
    if (w != null) {
      w.suspendReading();
    }
  }

  /** Resumes reading inotify events. */
  public void resumeWatching() {
    TreeWatcher w = watcher;
    if (w != null) {
      w.resumeReading();
    }
  }

  /** Number of directories watched. */
  public int watchedDirectories() {
    TreeWatcher w = watcher;
    return w == null ? 0 : w.watchedDirectories();
  }

  /**
   * Stops cleanly: no more events are read, runs in flight finish (or are cut off after a grace
   * period and kept for next time), and every journal is written and marked clean.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    timers.shutdownNow();
    if (statusServer != null) {
      statusServer.close();
    }
    TreeWatcher w;
    synchronized (sourceWatch) {
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.close();
    }
    for (RunningTarget t : targets) {
      t.close();
    }
    if (callbacks != null) {
      callbacks.close();
    }
    stopped.countDown();
  }
}

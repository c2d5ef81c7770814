package io.watchsync.agent;

import io.watchsync.agent.callback.Callbacks;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ExcludeRules;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.replicate.FanOutSink;
import io.watchsync.agent.replicate.Journal;
import io.watchsync.agent.replicate.PendingChanges;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.StateLock;
import io.watchsync.agent.replicate.TargetReplicator;
import io.watchsync.agent.replicate.Transport;
import io.watchsync.agent.status.AgentView;
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
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final AgentConfig config;
  private final List<Target> targets = new ArrayList<>();
  private final ScheduledExecutorService timers;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Metrics metrics = new Metrics();
  private StatusServer statusServer;
  private volatile Callbacks callbacks;
  private TreeWatcher watcher;
  private volatile String fatalError;
  private boolean closed;

  /** One target's pieces. */
  private record Target(
      TargetConfig config, StateLock lock, PendingChanges pending, TargetReplicator replicator) {}

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
    ReplicationListener listener =
        (target, work, delivery, took) -> {
          metrics.delivered(target, work, delivery, took);
          Callbacks c = callbacks;
          if (c != null) {
            c.delivered(target, work, delivery, took);
          }
          outside.delivered(target, work, delivery, took);
        };
    Path source = config.source();
    if (!Files.isDirectory(source)) {
      throw new AgentException("source " + source + " is not a directory");
    }
    try {
      callbacks = Callbacks.start(config.callbacks(), config.stateDir(), source, metrics);
    } catch (IOException e) {
      throw new AgentException(e.getMessage(), e);
    }
    ExcludeRules excludes = ExcludeRules.of(config.excludes());
    List<PendingChanges> queues = new ArrayList<>();
    for (TargetConfig tc : config.targets()) {
      Path stateDir = config.stateDirFor(tc);
      String what = source + " to " + tc.url();
      try {
        StateLock lock = StateLock.acquire(stateDir, what);
        Files.writeString(
            stateDir.resolve("about"),
            "source=" + source + "\ntarget=" + tc.url() + "\n",
            StandardCharsets.UTF_8);
        Transport transport = TargetTransports.create(config, tc);
        Journal journal = Journal.open(stateDir);
        PendingChanges pending =
            new PendingChanges(
                new PendingChanges.Settings(
                    config.batching().window(),
                    config.batching().maxFiles(),
                    config.batching().writeGrace(),
                    transport.supportsRename()),
                journal);
        TargetReplicator replicator =
            new TargetReplicator(
                tc.name(),
                pending,
                transport,
                tc.workers(),
                config.retry().initialDelay(),
                config.retry().maxDelay(),
                listener);
        targets.add(new Target(tc, lock, pending, replicator));
        queues.add(pending);
        queueInitialSync(tc, journal.replay(), pending);
      } catch (IOException e) {
        throw new AgentException("state directory " + stateDir + ": " + e.getMessage(), e);
      } catch (IllegalStateException e) {
        throw new AgentException(e.getMessage(), e);
      }
    }
    long t0 = System.nanoTime();
    watcher =
        TreeWatcher.builder()
            .root(source)
            .filter(excludes)
            .sink(new FanOutSink(withOverflowCounter(queues)))
            .errorListener(this::watchError)
            .build();
    try {
      watcher.start();
    } catch (IOException e) {
      throw new AgentException(e.getMessage(), e);
    }
    LOG.info(
        "watching "
            + watcher.watchedDirectories()
            + " directories under "
            + source
            + " ("
            + Duration.ofNanos(System.nanoTime() - t0).toMillis()
            + " ms)");
    for (Target t : targets) {
      t.replicator().start();
    }
    startStatusServer(config.status());
    timers.scheduleWithFixedDelay(this::flushJournals, 1, 1, TimeUnit.SECONDS);
    Duration every = config.fullSyncInterval();
    if (!every.isZero()) {
      timers.scheduleAtFixedRate(
          () -> requestFullSync("periodic full sync, every " + every),
          every.toMillis(),
          every.toMillis(),
          TimeUnit.MILLISECONDS);
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
      statusServer = StatusServer.start(settings, new View(), metrics);
      LOG.info("status endpoint on " + statusServer.url());
    } catch (IOException e) {
      LOG.severe(e.getMessage() + "; running without the status endpoint");
    }
  }

  /** Counts inotify overflows for the metrics, beside the queues that act on them. */
  private List<ChangeSink> withOverflowCounter(List<? extends ChangeSink> queues) {
    List<ChangeSink> sinks = new ArrayList<>(queues);
    sinks.add(
        new ChangeSink() {
          @Override
          public void changed(RelPath path) {}

          @Override
          public void writing(RelPath path) {}

          @Override
          public void subtreeAppeared(RelPath dir) {}

          @Override
          public void directoryMoved(RelPath from, RelPath to) {}

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
    for (Target t : targets) {
      try {
        t.pending().forceJournal();
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, t.config().name() + ": cannot write the journal", e);
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
    boolean found = false;
    for (Target t : targets) {
      if (target == null || t.config().name().equals(target)) {
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
    List<TargetStatus> out = new ArrayList<>();
    for (Target t : targets) {
      out.add(
          new TargetStatus(
              t.config().name(),
              t.config().url(),
              t.replicator().isDown(),
              t.pending().pendingAndInFlight(),
              t.pending().oldestPendingAge(),
              metrics.target(t.config().name())));
    }
    return out;
  }

  /** What the status endpoint sees of this agent. */
  private final class View implements AgentView {
    @Override
    public List<TargetStatus> targets() {
      return targetStatus();
    }

    @Override
    public int watchedDirectories() {
      return Agent.this.watchedDirectories();
    }

    @Override
    public boolean requestFullSync(String target, String reason) {
      return Agent.this.requestFullSync(target, reason);
    }
  }

  /** Blocks until {@link #close()} or a fatal watch error; returns that error, or null. */
  public String awaitStop() throws InterruptedException {
    stopped.await();
    return fatalError;
  }

  /** True when every target has nothing queued or in flight. */
  public boolean isIdle() {
    for (Target t : targets) {
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
    watcher.suspendReading();
  }

  /** Resumes reading inotify events. */
  public void resumeWatching() {
    watcher.resumeReading();
  }

  /** Number of directories watched. */
  public int watchedDirectories() {
    return watcher == null ? 0 : watcher.watchedDirectories();
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
    if (watcher != null) {
      watcher.close();
    }
    for (Target t : targets) {
      try {
        t.replicator().stop(STOP_GRACE);
        t.pending().closeJournal();
        t.lock().close();
      } catch (IOException e) {
        LOG.severe(t.config().name() + ": cannot write the journal on stop: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (callbacks != null) {
      callbacks.close();
    }
    stopped.countDown();
  }
}

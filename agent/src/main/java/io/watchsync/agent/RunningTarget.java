package io.watchsync.agent;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.replicate.PendingChanges;
import io.watchsync.agent.replicate.StateLock;
import io.watchsync.agent.replicate.TargetReplicator;
import io.watchsync.agent.source.SourceCheck;
import io.watchsync.agent.status.Metrics;
import io.watchsync.agent.status.TargetStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.logging.Logger;

/** One target's pieces while the agent replicates to it: its state lock, queue and workers. */
record RunningTarget(
    TargetConfig config, StateLock lock, PendingChanges pending, TargetReplicator replicator) {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /** The batching settings of {@code config}, as a target's queue takes them. */
  static PendingChanges.Settings batchSettings(AgentConfig config) {
    return new PendingChanges.Settings(
        config.batching().window(),
        config.batching().maxFiles(),
        config.batching().writeGrace(),
        config.batching().maxPending());
  }

  /** The same pieces under the target's new configuration (whose state directory is the same). */
  RunningTarget withConfig(TargetConfig next) {
    return new RunningTarget(next, lock, pending, replicator);
  }

  /** Takes {@code agent}'s settings for this target from the next piece of work on. */
  void reconfigure(AgentConfig agent, SourceCheck sourceCheck) {
    replicator.reconfigure(
        TargetTransports.create(agent, config, sourceCheck),
        config.workers(),
        agent.retry().initialDelay(),
        agent.retry().maxDelay());
    pending.reconfigure(batchSettings(agent));
  }

  /** The target as the status endpoint shows it. */
  TargetStatus status(Metrics metrics) {
    return new TargetStatus(
        config.name(),
        config.url().toString(),
        replicator.state(),
        replicator.stateDetail(),
        pending.pendingAndInFlight(),
        pending.oldestPendingAge(),
        metrics.target(config.name()),
        replicator.fullSyncMarks());
  }

  /** Stops the workers and writes the journal; the pending changes wait there. */
  void close() {
    try {
      replicator.stop(STOP_GRACE);
      pending.closeJournal();
      lock.close();
    } catch (IOException e) {
      LOG.severe(config.name() + ": cannot write the journal on stop: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

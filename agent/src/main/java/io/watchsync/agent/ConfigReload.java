package io.watchsync.agent;

import io.watchsync.agent.callback.Callbacks;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.watch.TreeWatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Takes a new configuration into a running {@link Agent} without a restart and without losing a
 * pending change. Targets added are started (with their initial sync), targets removed are stopped
 * with their journal written (their changes wait there should they come back), the others take the
 * new settings from their next run. Changed excludes re-watch the tree and bring a full sync. The
 * source and the state directory cannot change this way.
 *
 * <p>Everything that can fail (a token file, a target's state directory, the new watch) is done
 * first; only then is the new configuration switched to, as a whole.
 */
final class ConfigReload {
  private static final Logger LOG = Logger.getLogger("watchsync");

  private final Agent agent;
  private final AgentConfig current;
  private final AgentConfig next;

  ConfigReload(Agent agent, AgentConfig current, AgentConfig next) {
    this.agent = agent;
    this.current = current;
    this.next = next;
  }

  /**
   * Takes the new configuration.
   *
   * @throws AgentException when it cannot be taken; the running configuration then stays in force,
   *     untouched
   */
  void apply() throws AgentException {
    refuseWhatNeedsARestart();
    checkCallbackTokens();
    Map<Path, RunningTarget> running = new LinkedHashMap<>();
    for (RunningTarget t : agent.targets()) {
      running.put(current.stateDirFor(t.config()), t);
    }
    List<RunningTarget> added = new ArrayList<>();
    List<RunningTarget> nextTargets = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    boolean excludesChanged = !next.excludes().equals(current.excludes());
    TreeWatcher newWatcher = null;
    try {
      for (TargetConfig tc : next.targets()) {
        RunningTarget t = running.remove(next.stateDirFor(tc));
        if (t == null) {
          t = agent.openTarget(next, tc);
          added.add(t);
        } else {
          if (!t.config().equals(tc)) {
            changed.add(tc.name());
          }
          t = t.withConfig(tc);
        }
        nextTargets.add(t);
      }
      if (excludesChanged && agent.watching()) {
        // The new watch starts before the old one stops: no event falls between them.
        newWatcher = agent.startWatcher(next);
      }
    } catch (AgentException | RuntimeException e) {
      for (RunningTarget t : added) {
        t.close();
      }
      throw e;
    }
    // From here on nothing can fail: the new configuration is taken as a whole.
    agent.switchTo(next, nextTargets, newWatcher);
    for (RunningTarget t : nextTargets) {
      if (!added.contains(t)) {
        t.reconfigure(next, agent.sourceGuard());
      }
    }
    for (RunningTarget t : running.values()) {
      t.close();
    }
    startAdded(added);
    if (excludesChanged) {
      agent.requestFullSync("the excludes changed");
    }
    restartWhatChanged();
    LOG.info(
        "configuration reloaded: "
            + nextTargets.size()
            + " targets"
            + names(", added ", added.stream().map(t -> t.config().name()).toList())
            + names(", removed ", running.values().stream().map(t -> t.config().name()).toList())
            + names(", changed ", changed)
            + (excludesChanged ? ", excludes changed" : ""));
  }

  private void refuseWhatNeedsARestart() throws AgentException {
    if (!next.source().equals(current.source())) {
      throw new AgentException(
          "source changed from "
              + current.source()
              + " to "
              + next.source()
              + "; restart for that");
    }
    if (!next.stateDir().equals(current.stateDir())) {
      throw new AgentException(
          "state_dir changed from "
              + current.stateDir()
              + " to "
              + next.stateDir()
              + "; restart for that");
    }
  }

  private void checkCallbackTokens() throws AgentException {
    for (int i = 0; i < next.callbacks().size(); i++) {
      CallbackConfig c = next.callbacks().get(i);
      if (c.tokenFile() != null) {
        try {
          Callbacks.readToken(c.tokenFile(), i);
        } catch (IOException e) {
          throw new AgentException(e.getMessage(), e);
        }
      }
    }
  }

  /** Starts the new targets' workers, held at once while the source is lost. */
  private void startAdded(List<RunningTarget> added) {
    String lost = agent.sourceLoss();
    for (RunningTarget t : added) {
      if (lost != null) {
        t.replicator().holdForSource("source lost: " + lost);
      }
      t.replicator().start();
    }
  }

  /**
   * Restarts the callbacks, the status endpoint and the periodic full sync if their keys changed.
   */
  private void restartWhatChanged() {
    if (!next.callbacks().equals(current.callbacks())) {
      agent.restartCallbacks(next, current);
    }
    if (!next.status().equals(current.status())) {
      agent.restartStatusServer(next.status());
    }
    if (!next.fullSyncInterval().equals(current.fullSyncInterval())) {
      agent.schedulePeriodicFullSync(next.fullSyncInterval());
    }
  }

  private static String names(String label, List<String> names) {
    return names.isEmpty() ? "" : label + String.join(" ", names);
  }
}

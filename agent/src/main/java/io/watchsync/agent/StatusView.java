package io.watchsync.agent;

import io.watchsync.agent.status.AgentView;
import io.watchsync.agent.status.Metrics;
import io.watchsync.agent.status.TargetStatus;
import java.util.ArrayList;
import java.util.List;

/** What the status endpoint sees of a running agent, and what it may ask of it. */
final class StatusView implements AgentView {
  private final Agent agent;
  private final Metrics metrics;

  StatusView(Agent agent, Metrics metrics) {
    this.agent = agent;
    this.metrics = metrics;
  }

  @Override
  public List<TargetStatus> targets() {
    List<TargetStatus> out = new ArrayList<>();
    for (RunningTarget t : agent.targets()) {
      out.add(t.status(metrics));
    }
    return out;
  }

  @Override
  public int watchedDirectories() {
    return agent.watchedDirectories();
  }

  @Override
  public String sourceLoss() {
    return agent.sourceLoss();
  }

  @Override
  public boolean requestFullSync(String target, String reason) {
    return agent.requestFullSync(target, reason);
  }

  @Override
  public boolean requestFullSync(String target, String reason, boolean allowDeletions) {
    return agent.requestFullSync(target, reason, allowDeletions);
  }
}

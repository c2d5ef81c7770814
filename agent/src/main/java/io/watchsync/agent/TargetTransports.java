package io.watchsync.agent;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.source.SourceCheck;
import io.watchsync.agent.transport.RsyncSettings;
import io.watchsync.agent.transport.RsyncTransport;
import java.nio.file.Path;
import java.util.logging.Logger;

/** Turns a target's configuration into the rsync transport that serves it. */
public final class TargetTransports {
  private static final Logger LOG = Logger.getLogger("watchsync");

  private TargetTransports() {}

  /**
   * The transport the agent replicates with: the runs to an ssh target share one connection, its
   * socket in the state directory (warned about when the socket cannot be made there).
   */
  public static RsyncTransport create(
      AgentConfig config, TargetConfig target, SourceCheck sourceCheck) {
    RsyncTransport transport = create(config, target, config.stateDir(), sourceCheck);
    String obstacle = transport.command().sshSharingObstacle();
    if (obstacle != null) {
      LOG.warning(
          target.name() + ": every run logs in anew (no shared ssh connection): " + obstacle);
    }
    return transport;
  }

  /**
   * A transport for a one-off probe ({@code watchsync check}): an ssh target is logged in to
   * afresh, which proves the login works now, and a running agent's shared connection is neither
   * used nor ended.
   */
  public static RsyncTransport oneOff(AgentConfig config, TargetConfig target) {
    return create(config, target, null, SourceCheck.NONE);
  }

  private static RsyncTransport create(
      AgentConfig config, TargetConfig target, Path sshControlDir, SourceCheck sourceCheck) {
    AgentConfig.Rsync rsync = config.rsync();
    return new RsyncTransport(
        new RsyncSettings(
            rsync.binary(),
            config.source(),
            target.url(),
            target.passwordFile(),
            target.ssh(),
            ExcludeRules.forTree(config.excludes()).rsyncArgs(),
            rsync.timeout(),
            rsync.connectTimeout(),
            rsync.compress(),
            rsync.extraArgs(),
            sshControlDir),
        sourceCheck,
        config.guards().maxDelete());
  }
}

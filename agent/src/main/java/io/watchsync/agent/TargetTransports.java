package io.watchsync.agent;

import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.config.ExcludeRules;
import io.watchsync.agent.config.TargetConfig;
import io.watchsync.agent.transport.RsyncSettings;
import io.watchsync.agent.transport.RsyncTransport;
import io.watchsync.agent.transport.TargetUrl;

/** Turns a target's configuration into the rsync transport that serves it. */
public final class TargetTransports {
  private TargetTransports() {}

  public static RsyncTransport create(AgentConfig config, TargetConfig target) {
    AgentConfig.Rsync rsync = config.rsync();
    return new RsyncTransport(
        new RsyncSettings(
            rsync.binary(),
            config.source(),
            TargetUrl.parse(target.url()),
            target.passwordFile(),
            target.ssh(),
            ExcludeRules.of(config.excludes()).rsyncArgs(),
            rsync.timeout(),
            rsync.connectTimeout(),
            rsync.compress(),
            rsync.extraArgs(),
            config.stateDirFor(target)));
  }
}

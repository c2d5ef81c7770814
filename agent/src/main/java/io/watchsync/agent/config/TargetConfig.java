package io.watchsync.agent.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One replication target.
 *
 * @param name short unique name, used in logs and for the target's state directory
 * @param url where the target lives, parsed where the configuration was read
 * @param passwordFile rsync daemon password file, or {@code null} (daemon targets only)
 * @param workers how many rsync runs may be in flight at once for this target, 1..64
 * @param ssh the remote shell command for ssh targets (e.g. {@code ssh -p 2222 -i key}), or {@code
 *     null} for rsync's default
 */
public record TargetConfig(String name, TargetUrl url, Path passwordFile, int workers, String ssh) {
  public static final int DEFAULT_WORKERS = 2;
  public static final int MAX_WORKERS = 64;

  public TargetConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
  }
}

package io.watchsync.agent.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the agent needs to run, validated. Built by {@link ConfigLoader} from a file or by
 * {@link #quick} from command-line options.
 */
public record AgentConfig(
    Path source,
    Path stateDir,
    boolean initialSync,
    Duration fullSyncInterval,
    List<String> excludes,
    Batching batching,
    Retry retry,
    Rsync rsync,
    String logLevel,
    List<TargetConfig> targets) {

  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/watchsync");
  public static final Duration DEFAULT_FULL_SYNC_INTERVAL = Duration.ofHours(24);

  /** How changes are cut into rsync runs. */
  public record Batching(Duration window, int maxFiles, Duration writeGrace) {
    public static final Batching DEFAULTS =
        new Batching(Duration.ofMillis(10), 5000, Duration.ofSeconds(10));
  }

  /** How a target that failed is retried. */
  public record Retry(Duration initialDelay, Duration maxDelay) {
    public static final Retry DEFAULTS = new Retry(Duration.ofSeconds(1), Duration.ofSeconds(60));
  }

  /** How rsync runs. */
  public record Rsync(
      String binary,
      Duration timeout,
      Duration connectTimeout,
      boolean compress,
      List<String> extraArgs) {
    public static final Rsync DEFAULTS =
        new Rsync("rsync", Duration.ofSeconds(300), Duration.ofSeconds(30), false, List.of());

    public Rsync {
      extraArgs = List.copyOf(extraArgs);
    }
  }

  public AgentConfig {
    excludes = List.copyOf(excludes);
    targets = List.copyOf(targets);
  }

  /**
   * The state directory of one target: named after the target and a hash of the source and the
   * target URL, so two agents or two configurations never share a journal.
   */
  public Path stateDirFor(TargetConfig target) {
    String key = source.toAbsolutePath().normalize() + "\0" + target.url();
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return stateDir.resolve(target.name() + "-" + HexFormat.of().formatHex(hash, 0, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  public AgentConfig withStateDir(Path dir) {
    return new AgentConfig(
        source,
        dir.toAbsolutePath().normalize(),
        initialSync,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets);
  }

  public AgentConfig withInitialSync(boolean enabled) {
    return new AgentConfig(
        source,
        stateDir,
        enabled,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets);
  }

  /**
   * The quick form: a source, target URLs, one password file for the daemon targets, excludes;
   * defaults for everything else.
   *
   * @param urlValidator throws IllegalArgumentException with a message for a bad URL
   */
  public static AgentConfig quick(
      Path source,
      List<String> urls,
      Path passwordFile,
      List<String> excludes,
      Consumer<String> urlValidator)
      throws ConfigException {
    if (urls.isEmpty()) {
      throw new ConfigException("--source needs at least one --target");
    }
    Path src = source.toAbsolutePath().normalize();
    List<TargetConfig> targets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String url : urls) {
      try {
        urlValidator.accept(url);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--target " + url + ": " + e.getMessage());
      }
      String name = TargetNames.unique(TargetNames.fromUrl(url), names);
      names.add(name);
      Path pw = url.startsWith("rsync://") && passwordFile != null ? absolute(passwordFile) : null;
      targets.add(new TargetConfig(name, url, pw, TargetConfig.DEFAULT_WORKERS, null));
    }
    try {
      ExcludeRules.of(excludes);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--exclude: " + e.getMessage());
    }
    return new AgentConfig(
        src,
        DEFAULT_STATE_DIR,
        true,
        DEFAULT_FULL_SYNC_INTERVAL,
        excludes,
        Batching.DEFAULTS,
        Retry.DEFAULTS,
        Rsync.DEFAULTS,
        "info",
        targets);
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }
}

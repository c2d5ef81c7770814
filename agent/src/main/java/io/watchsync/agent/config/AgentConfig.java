package io.watchsync.agent.config;

import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.fs.NameHash;
import io.watchsync.agent.source.SourceMountMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the agent needs to run, already checked: where the tree is, where to send it, and how.
 * Built by {@link ConfigLoader} from a file or by {@link #quick} from command-line options.
 *
 * @param source the tree to replicate (absolute)
 * @param stateDir where each target's journal and lock live (absolute)
 * @param initialSync run a full sync at start even when the last stop was clean
 * @param fullSyncInterval how often a full sync runs anyway; zero turns it off
 * @param excludes rsync exclude patterns (see {@link ExcludeRules})
 * @param logLevel {@code error}, {@code warn}, {@code info} or {@code debug}
 * @param status the local status endpoint ({@code /metrics}, {@code /health}, {@code /status})
 * @param callbacks URLs told about every delivered batch
 * @param guards what keeps a backup from being wiped: the source's file system, the deletion budget
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
    List<TargetConfig> targets,
    Status status,
    List<CallbackConfig> callbacks,
    Guards guards) {

  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/watchsync");
  public static final Duration DEFAULT_FULL_SYNC_INTERVAL = Duration.ofHours(24);
  public static final String DEFAULT_LOG_LEVEL = "info";

  /**
   * How changes are cut into rsync runs.
   *
   * @param window how long the first change of a batch waits for more to join it (at most 10s)
   * @param maxFiles the most paths one rsync run carries
   * @param writeGrace how long a file still open for writing is held back before it is sent anyway
   * @param maxPending the most paths a target keeps waiting one by one; past it they collapse into
   *     directories sent whole, or into a full sync
   */
  public record Batching(Duration window, int maxFiles, Duration writeGrace, int maxPending) {
    public static final int DEFAULT_MAX_PENDING = 100_000;
    public static final Batching DEFAULT =
        new Batching(Duration.ofMillis(10), 2000, Duration.ofSeconds(10), DEFAULT_MAX_PENDING);

    public Batching {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(writeGrace, "writeGrace");
    }
  }

  /**
   * How a failed rsync run is retried: the delay doubles from {@code initialDelay} up to {@code
   * maxDelay}.
   */
  public record Retry(Duration initialDelay, Duration maxDelay) {
    public static final Retry DEFAULT = new Retry(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public Retry {
      Objects.requireNonNull(initialDelay, "initialDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
    }
  }

  /**
   * How rsync is run.
   *
   * @param binary the rsync program, a name looked up on PATH or an absolute path
   * @param timeout rsync's {@code --timeout} (I/O idle time); zero means none
   * @param connectTimeout rsync's {@code --contimeout} for daemon targets; zero means none
   * @param compress pass {@code --compress}
   * @param extraArgs more rsync options, appended as given
   */
  public record Rsync(
      String binary,
      Duration timeout,
      Duration connectTimeout,
      boolean compress,
      List<String> extraArgs) {
    public static final Rsync DEFAULT =
        new Rsync("rsync", Duration.ofSeconds(60), Duration.ofSeconds(10), false, List.of());

    public Rsync {
      Objects.requireNonNull(binary, "binary");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      extraArgs = List.copyOf(extraArgs);
    }
  }

  /**
   * The local HTTP endpoint for monitoring and control.
   *
   * @param enabled serve it at all
   * @param address the address to bind, loopback unless the operator opens it up
   * @param port the TCP port
   * @param maxLag {@code /health} answers 503 once a target's oldest undelivered change is older
   */
  public record Status(boolean enabled, String address, int port, Duration maxLag) {
    public static final int DEFAULT_PORT = 9873;
    public static final Status DEFAULT =
        new Status(true, "127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(60));

    public Status {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(maxLag, "maxLag");
    }

    /** The base URL a client on this machine uses to reach it. */
    public String localUrl() {
      String host = address;
      if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        host = "127.0.0.1";
      } else if (host.contains(":") && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      return "http://" + host + ":" + port;
    }
  }

  /**
   * What keeps a backup from being wiped.
   *
   * @param sourceMount what the source's file system must stay ({@code source_mount})
   * @param maxDelete how much a full sync may delete before it waits for the operator ({@code
   *     max_delete})
   */
  public record Guards(SourceMountMode sourceMount, DeletionBudget maxDelete) {
    public static final Guards DEFAULT = new Guards(SourceMountMode.AUTO, DeletionBudget.DEFAULT);

    public Guards {
      Objects.requireNonNull(sourceMount, "sourceMount");
      Objects.requireNonNull(maxDelete, "maxDelete");
    }
  }

  public AgentConfig {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(guards, "guards");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(fullSyncInterval, "fullSyncInterval");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(rsync, "rsync");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(status, "status");
    excludes = List.copyOf(excludes);
    targets = List.copyOf(targets);
    callbacks = List.copyOf(callbacks);
  }

  /**
   * The state directory of one target: its name plus a digest of the source and the target URL, so
   * two configurations (or two agents) never share a journal, and renaming nothing keeps it stable.
   */
  public Path stateDirFor(TargetConfig t) {
    String key = source.toAbsolutePath().normalize() + "\0" + t.url();
    return stateDir.resolve(t.name() + "-" + NameHash.of(key, 16));
  }

  /** The same configuration with another state directory (made absolute). */
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
        targets,
        status,
        callbacks,
        guards);
  }

  /** The same configuration with another status endpoint. */
  public AgentConfig withStatus(Status other) {
    return new AgentConfig(
        source,
        stateDir,
        initialSync,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets,
        other,
        callbacks,
        guards);
  }

  /** The same configuration with other callbacks. */
  public AgentConfig withCallbacks(List<CallbackConfig> other) {
    return new AgentConfig(
        source,
        stateDir,
        initialSync,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets,
        status,
        other,
        guards);
  }

  /** The same configuration with other guards. */
  public AgentConfig withGuards(Guards other) {
    return new AgentConfig(
        source,
        stateDir,
        initialSync,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets,
        status,
        callbacks,
        other);
  }

  /** The same configuration with other batching settings. */
  public AgentConfig withBatching(Batching other) {
    return new AgentConfig(
        source,
        stateDir,
        initialSync,
        fullSyncInterval,
        excludes,
        other,
        retry,
        rsync,
        logLevel,
        targets,
        status,
        callbacks,
        guards);
  }

  /** The same configuration with the initial full sync switched on or off. */
  public AgentConfig withInitialSync(boolean on) {
    return new AgentConfig(
        source,
        stateDir,
        on,
        fullSyncInterval,
        excludes,
        batching,
        retry,
        rsync,
        logLevel,
        targets,
        status,
        callbacks,
        guards);
  }

  /**
   * The command-line form: one source, target URLs, an optional password file for the rsync daemon
   * targets and excludes; everything else takes its default. Paths may be relative to the working
   * directory. Targets are named after their host ({@code host}, {@code host-2}, …).
   */
  public static AgentConfig quick(
      Path source, List<String> targetUrls, Path passwordFile, List<String> excludes)
      throws ConfigException {
    Path src = source.toAbsolutePath().normalize();
    if (targetUrls.isEmpty()) {
      throw new ConfigException("--source needs at least one --target");
    }
    Path password = passwordFile == null ? null : passwordFile.toAbsolutePath().normalize();
    boolean anyDaemon = false;
    List<TargetConfig> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String text : targetUrls) {
      if (targetUrls.indexOf(text) != targets.size()) {
        throw new ConfigException("--target " + TargetUrl.redact(text) + ": given twice");
      }
      TargetUrl url;
      try {
        url = ConfigRules.targetUrl(text, src);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--target " + TargetUrl.redact(text) + ": " + e.getMessage());
      }
      boolean daemon = url.kind() == TargetUrl.Kind.DAEMON;
      anyDaemon |= daemon;
      String name = ConfigRules.derivedTargetName(url, names);
      names.add(name);
      targets.add(
          new TargetConfig(
              name, url, daemon ? password : null, TargetConfig.DEFAULT_WORKERS, null));
    }
    if (password != null && !anyDaemon) {
      throw new ConfigException(
          "--password-file: only rsync daemon targets (rsync://…) use a password file,"
              + " and no --target is one");
    }
    for (String pattern : excludes) {
      try {
        ExcludeRules.of(List.of(pattern));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--exclude: " + e.getMessage());
      }
    }
    return new AgentConfig(
        src,
        DEFAULT_STATE_DIR,
        true,
        DEFAULT_FULL_SYNC_INTERVAL,
        excludes,
        Batching.DEFAULT,
        Retry.DEFAULT,
        Rsync.DEFAULT,
        DEFAULT_LOG_LEVEL,
        targets,
        Status.DEFAULT,
        List.of(),
        Guards.DEFAULT);
  }
}

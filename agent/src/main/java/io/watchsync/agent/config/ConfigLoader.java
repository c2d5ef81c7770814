package io.watchsync.agent.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads {@code watchsync.yml}. Unknown keys, keys given twice, wrong types and values out of range
 * are errors naming the file, the line and the key; nothing is guessed.
 */
public final class ConfigLoader {
  private static final Set<String> TOP =
      Set.of(
          "source",
          "state_dir",
          "initial_sync",
          "full_sync_interval",
          "log_level",
          "excludes",
          "batching",
          "retry",
          "rsync",
          "targets");
  private static final Set<String> BATCHING = Set.of("window", "max_files", "write_grace");
  private static final Set<String> RETRY = Set.of("initial_delay", "max_delay");
  private static final Set<String> RSYNC =
      Set.of("binary", "timeout", "connect_timeout", "compress", "extra_args");
  private static final Set<String> TARGET =
      Set.of("name", "url", "password_file", "workers", "ssh");
  private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug");
  private static final List<String> MANAGED_ARGS =
      List.of(
          "--delete", "--remove-source-files", "--password-file", "-e", "--rsh", "--files-from");

  private ConfigLoader() {}

  /**
   * Loads and validates {@code file}.
   *
   * @param urlValidator throws IllegalArgumentException with a message for a bad target URL
   */
  public static AgentConfig load(Path file, Consumer<String> urlValidator) throws ConfigException {
    Node root = parse(file);
    Map<String, YamlValue> top = new YamlValue(file, "", root).mapping(TOP);
    YamlValue first = new YamlValue(file, "", root);

    if (!top.containsKey("source")) {
      throw first.error("source: missing (the directory tree to replicate)");
    }
    Path source = top.get("source").absolutePath();
    Path stateDir =
        top.containsKey("state_dir")
            ? top.get("state_dir").absolutePath()
            : AgentConfig.DEFAULT_STATE_DIR;
    boolean initialSync = !top.containsKey("initial_sync") || top.get("initial_sync").bool();
    Duration fullSync =
        top.containsKey("full_sync_interval")
            ? top.get("full_sync_interval").duration(Duration.ZERO, Duration.ofDays(365))
            : AgentConfig.DEFAULT_FULL_SYNC_INTERVAL;
    if (!fullSync.isZero() && fullSync.compareTo(Duration.ofMinutes(1)) < 0) {
      throw top.get("full_sync_interval").error("must be 0 (off) or at least 1m");
    }
    String logLevel = "info";
    if (top.containsKey("log_level")) {
      logLevel = top.get("log_level").string();
      if (!LOG_LEVELS.contains(logLevel)) {
        throw top.get("log_level")
            .error("must be one of error, warn, info, debug, got \"" + logLevel + "\"");
      }
    }
    List<String> excludes = List.of();
    if (top.containsKey("excludes")) {
      excludes = top.get("excludes").strings();
      List<YamlValue> items = top.get("excludes").list();
      for (int i = 0; i < excludes.size(); i++) {
        try {
          ExcludeRules.of(List.of(excludes.get(i)));
        } catch (IllegalArgumentException e) {
          throw items.get(i).error(e.getMessage());
        }
      }
    }
    return new AgentConfig(
        source,
        stateDir,
        initialSync,
        fullSync,
        excludes,
        batching(top.get("batching")),
        retry(top.get("retry")),
        rsync(top.get("rsync")),
        logLevel,
        targets(first, top.get("targets"), urlValidator));
  }

  private static Node parse(Path file) throws ConfigException {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": permission denied");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(10);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      throw new ConfigException(file + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new ConfigException(file + ": empty; it needs at least source and targets");
    }
    return root;
  }

  private static AgentConfig.Batching batching(YamlValue v) throws ConfigException {
    AgentConfig.Batching d = AgentConfig.Batching.DEFAULTS;
    if (v == null) {
      return d;
    }
    Map<String, YamlValue> m = v.mapping(BATCHING);
    return new AgentConfig.Batching(
        m.containsKey("window")
            ? m.get("window").duration(Duration.ZERO, Duration.ofSeconds(10))
            : d.window(),
        m.containsKey("max_files") ? m.get("max_files").integer(1, 100_000) : d.maxFiles(),
        m.containsKey("write_grace")
            ? m.get("write_grace").duration(Duration.ofMillis(100), Duration.ofHours(1))
            : d.writeGrace());
  }

  private static AgentConfig.Retry retry(YamlValue v) throws ConfigException {
    AgentConfig.Retry d = AgentConfig.Retry.DEFAULTS;
    if (v == null) {
      return d;
    }
    Map<String, YamlValue> m = v.mapping(RETRY);
    Duration initial =
        m.containsKey("initial_delay")
            ? m.get("initial_delay").duration(Duration.ofMillis(10), Duration.ofHours(1))
            : d.initialDelay();
    Duration max =
        m.containsKey("max_delay")
            ? m.get("max_delay").duration(Duration.ofMillis(10), Duration.ofDays(1))
            : d.maxDelay();
    if (max.compareTo(initial) < 0) {
      throw (m.containsKey("max_delay") ? m.get("max_delay") : v)
          .error("max_delay must not be shorter than initial_delay");
    }
    return new AgentConfig.Retry(initial, max);
  }

  private static AgentConfig.Rsync rsync(YamlValue v) throws ConfigException {
    AgentConfig.Rsync d = AgentConfig.Rsync.DEFAULTS;
    if (v == null) {
      return d;
    }
    Map<String, YamlValue> m = v.mapping(RSYNC);
    List<String> extra = m.containsKey("extra_args") ? m.get("extra_args").strings() : List.of();
    for (int i = 0; i < extra.size(); i++) {
      String arg = extra.get(i);
      for (String managed : MANAGED_ARGS) {
        if (arg.equals(managed)
            || arg.startsWith(managed + "=")
            || arg.startsWith(managed + "-")
            || (managed.equals("-e") && arg.startsWith("-e"))) {
          throw m.get("extra_args")
              .list()
              .get(i)
              .error("\"" + arg + "\" is managed by watchsync and cannot be given here");
        }
      }
    }
    return new AgentConfig.Rsync(
        m.containsKey("binary") ? m.get("binary").string() : d.binary(),
        m.containsKey("timeout")
            ? m.get("timeout").duration(Duration.ZERO, Duration.ofHours(24))
            : d.timeout(),
        m.containsKey("connect_timeout")
            ? m.get("connect_timeout").duration(Duration.ZERO, Duration.ofHours(1))
            : d.connectTimeout(),
        m.containsKey("compress") ? m.get("compress").bool() : d.compress(),
        extra);
  }

  private static List<TargetConfig> targets(
      YamlValue top, YamlValue v, Consumer<String> urlValidator) throws ConfigException {
    if (v == null) {
      throw top.error("targets: missing (at least one backup target)");
    }
    List<YamlValue> items = v.list();
    if (items.isEmpty()) {
      throw v.error("needs at least one target");
    }
    List<TargetConfig> out = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (YamlValue item : items) {
      Map<String, YamlValue> m = item.mapping(TARGET);
      if (!m.containsKey("url")) {
        throw item.error("url: missing");
      }
      String url = m.get("url").string();
      try {
        urlValidator.accept(url);
      } catch (IllegalArgumentException e) {
        throw m.get("url").error(e.getMessage());
      }
      String name;
      if (m.containsKey("name")) {
        name = m.get("name").string();
        if (!TargetNames.VALID.matcher(name).matches()) {
          throw m.get("name")
              .error("use 1 to 64 letters, digits, '.', '_' or '-', got \"" + name + "\"");
        }
        if (names.contains(name)) {
          throw m.get("name").error("\"" + name + "\" is already the name of another target");
        }
      } else {
        name = TargetNames.unique(TargetNames.fromUrl(url), names);
      }
      names.add(name);
      Path password = m.containsKey("password_file") ? m.get("password_file").absolutePath() : null;
      if (password != null && !url.startsWith("rsync://")) {
        throw m.get("password_file").error("only rsync:// (daemon) targets use a password file");
      }
      String ssh = m.containsKey("ssh") ? m.get("ssh").string() : null;
      if (ssh != null && (url.startsWith("rsync://") || url.startsWith("/"))) {
        throw m.get("ssh").error("only ssh targets (user@host:/path) use an ssh command");
      }
      int workers =
          m.containsKey("workers") ? m.get("workers").integer(1, 64) : TargetConfig.DEFAULT_WORKERS;
      out.add(new TargetConfig(name, url, password, workers, ssh));
    }
    return out;
  }
}

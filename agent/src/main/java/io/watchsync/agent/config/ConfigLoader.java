package io.watchsync.agent.config;

import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.source.SourceMountMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code watchsync.yml}. Every problem becomes a {@link ConfigException} whose message reads
 * {@code FILE:LINE: key.path: problem}, e.g. {@code /etc/watchsync/watchsync.yml:4:
 * targets[1].workers: must be between 1 and 64, got 0}. Unknown and duplicate keys are errors, so a
 * typo never silently falls back to a default.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Loads and checks {@code file}. */
  public static AgentConfig load(Path file) throws ConfigException {
    return load(file, false);
  }

  /**
   * As {@link #load}, and refuses what the file names on this machine that could never work: a
   * {@code source} that is not a directory, a {@code password_file} rsync would refuse (see {@link
   * OnDiskRules}). For {@code run}, a reload and {@code check}; the other commands only read it.
   */
  public static AgentConfig loadForRun(Path file) throws ConfigException {
    return load(file, true);
  }

  private static AgentConfig load(Path file, boolean checkOnDisk) throws ConfigException {
    Node root = YamlDocument.read(file);
    if (root == null) {
      throw new ConfigException(file + ": the file is empty; it needs at least source and targets");
    }
    return new FileReader(file, checkOnDisk).config(root);
  }

  /** Walks the node tree of one file, knowing where each value came from. */
  private static final class FileReader {
    private static final List<String> TOP_KEYS =
        List.of(
            "source",
            "state_dir",
            "initial_sync",
            "full_sync_interval",
            "log_level",
            "excludes",
            "batching",
            "retry",
            "rsync",
            "targets",
            "status",
            "callbacks",
            "source_mount",
            "max_delete");
    private static final List<String> BATCHING_KEYS =
        List.of("window", "max_files", "write_grace", "max_pending");
    private static final List<String> RETRY_KEYS = List.of("initial_delay", "max_delay");
    private static final List<String> RSYNC_KEYS =
        List.of("binary", "timeout", "connect_timeout", "compress", "extra_args");
    private static final List<String> TARGET_KEYS =
        List.of("name", "url", "password_file", "workers", "ssh");
    private static final List<String> STATUS_KEYS =
        List.of("enabled", "address", "port", "max_lag");
    private static final List<String> CALLBACK_KEYS =
        List.of("url", "token_file", "timeout", "retries", "retry_delay", "max_delay");

    private final NodeReader nodes;

    /** Checks of the files named, run once the whole file is known to be well-formed. */
    private final List<NodeReader.Check<?>> onDisk;

    FileReader(Path file, boolean checkOnDisk) {
      this.nodes = new NodeReader(file);
      this.onDisk = checkOnDisk ? new ArrayList<>() : null;
    }

    /** Queues an {@link OnDiskRules} check of the value at {@code node}, when asked for. */
    private void onDisk(Node node, String key, Supplier<?> check) {
      if (onDisk != null) {
        onDisk.add(() -> nodes.convert(node, key, check::get));
      }
    }

    AgentConfig config(Node root) throws ConfigException {
      YamlSection top = nodes.section(root, "", TOP_KEYS);
      Path source = top.required("source", this::absolutePath, "the directory tree to replicate");
      onDisk(top.get("source"), "source", () -> OnDiskRules.sourceDirectory(source));
      Path stateDir = top.optional("state_dir", this::absolutePath, AgentConfig.DEFAULT_STATE_DIR);
      Node stateDirNode = top.get("state_dir") != null ? top.get("state_dir") : top.node();
      nodes.convert(
          stateDirNode,
          "state_dir",
          () -> {
            ConfigRules.stateDirOutsideSource(stateDir, source);
            return stateDir;
          });
      boolean initialSync = top.optional("initial_sync", nodes::bool, true);
      Duration fullSync =
          top.optional(
              "full_sync_interval", nodes::duration, AgentConfig.DEFAULT_FULL_SYNC_INTERVAL);
      String logLevel =
          top.optional(
              "log_level",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.logLevel(nodes.string(n, k))),
              AgentConfig.DEFAULT_LOG_LEVEL);
      List<String> excludes = top.optional("excludes", this::excludes, List.of());
      AgentConfig.Batching batching =
          top.optional("batching", this::batching, AgentConfig.Batching.DEFAULT);
      AgentConfig.Retry retry = top.optional("retry", this::retry, AgentConfig.Retry.DEFAULT);
      AgentConfig.Rsync rsync = top.optional("rsync", this::rsync, AgentConfig.Rsync.DEFAULT);
      List<TargetConfig> targets =
          top.required(
              "targets",
              (n, k) -> targets(n, source),
              "at least one target: - url: rsync://host/module, user@host:/path or /dir");
      AgentConfig.Status status = top.optional("status", this::status, AgentConfig.Status.DEFAULT);
      List<CallbackConfig> callbacks = top.optional("callbacks", this::callbacks, List.of());
      AgentConfig.Guards guards =
          new AgentConfig.Guards(
              top.optional(
                  "source_mount",
                  (n, k) ->
                      nodes.convert(n, k, () -> SourceMountMode.parse(nodes.string(n, k).strip())),
                  AgentConfig.Guards.DEFAULT.sourceMount()),
              top.optional(
                  "max_delete",
                  (n, k) -> nodes.convert(n, k, () -> DeletionBudget.parse(nodes.string(n, k))),
                  AgentConfig.Guards.DEFAULT.maxDelete()));
      if (onDisk != null) {
        for (NodeReader.Check<?> check : onDisk) {
          check.get();
        }
      }
      return new AgentConfig(
          source,
          stateDir,
          initialSync,
          fullSync,
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

    private AgentConfig.Status status(Node node, String key) throws ConfigException {
      YamlSection s = nodes.section(node, key, STATUS_KEYS);
      AgentConfig.Status d = AgentConfig.Status.DEFAULT;
      boolean enabled = s.optional("enabled", nodes::bool, d.enabled());
      String address =
          s.optional(
              "address",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.listenAddress(nodes.string(n, k))),
              d.address());
      int port =
          s.optional(
              "port",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.range(nodes.integer(n, k), 0, 65535)),
              d.port());
      Duration maxLag =
          s.optional(
              "max_lag",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.positive(nodes.duration(n, k))),
              d.maxLag());
      return new AgentConfig.Status(enabled, address, port, maxLag);
    }

    private List<CallbackConfig> callbacks(Node node, String key) throws ConfigException {
      if (!(node instanceof SequenceNode seq)) {
        throw nodes.error(
            node, key, "must be a list of callbacks (- url: …), got " + NodeReader.describe(node));
      }
      List<CallbackConfig> out = new ArrayList<>();
      Map<java.net.URI, String> seen = new HashMap<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String itemKey = key + "[" + i + "]";
        YamlSection s = nodes.section(item, itemKey, CALLBACK_KEYS);
        java.net.URI url =
            s.required(
                "url",
                (n, k) -> nodes.convert(n, k, () -> ConfigRules.callbackUrl(nodes.string(n, k))),
                "the URL to POST to: http://host[:port]/path or https://…");
        String previous = seen.putIfAbsent(url, s.path("url"));
        if (previous != null) {
          throw nodes.error(s.get("url"), s.path("url"), "the same URL as " + previous);
        }
        Path tokenFile = s.optional("token_file", this::absolutePath, null);
        Duration timeout =
            s.optional(
                "timeout",
                (n, k) -> nodes.convert(n, k, () -> ConfigRules.positive(nodes.duration(n, k))),
                CallbackConfig.DEFAULT_TIMEOUT);
        int retries =
            s.optional(
                "retries",
                (n, k) ->
                    nodes.convert(
                        n,
                        k,
                        () ->
                            ConfigRules.range(nodes.integer(n, k), 0, CallbackConfig.MAX_RETRIES)),
                CallbackConfig.DEFAULT_RETRIES);
        Duration retryDelay =
            s.optional(
                "retry_delay",
                (n, k) -> nodes.convert(n, k, () -> ConfigRules.positive(nodes.duration(n, k))),
                CallbackConfig.DEFAULT_RETRY_DELAY);
        Duration maxDelay = s.optional("max_delay", nodes::duration, null);
        if (maxDelay == null) {
          maxDelay =
              retryDelay.compareTo(CallbackConfig.DEFAULT_MAX_DELAY) > 0
                  ? retryDelay
                  : CallbackConfig.DEFAULT_MAX_DELAY;
        } else if (maxDelay.compareTo(retryDelay) < 0) {
          throw nodes.error(
              s.get("max_delay"),
              s.path("max_delay"),
              "must be at least retry_delay ("
                  + DurationParser.format(retryDelay)
                  + "), got "
                  + DurationParser.format(maxDelay));
        }
        out.add(new CallbackConfig(url, tokenFile, timeout, retries, retryDelay, maxDelay));
      }
      return out;
    }

    private AgentConfig.Batching batching(Node node, String key) throws ConfigException {
      YamlSection s = nodes.section(node, key, BATCHING_KEYS);
      AgentConfig.Batching d = AgentConfig.Batching.DEFAULT;
      Duration window =
          s.optional(
              "window",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.window(nodes.duration(n, k))),
              d.window());
      int maxFiles =
          s.optional(
              "max_files",
              (n, k) ->
                  nodes.convert(n, k, () -> ConfigRules.range(nodes.integer(n, k), 1, 100_000)),
              d.maxFiles());
      Duration grace = s.optional("write_grace", nodes::duration, d.writeGrace());
      int maxPending =
          s.optional(
              "max_pending",
              (n, k) ->
                  nodes.convert(n, k, () -> ConfigRules.range(nodes.integer(n, k), 1, 100_000_000)),
              d.maxPending());
      return new AgentConfig.Batching(window, maxFiles, grace, maxPending);
    }

    private AgentConfig.Retry retry(Node node, String key) throws ConfigException {
      YamlSection s = nodes.section(node, key, RETRY_KEYS);
      AgentConfig.Retry d = AgentConfig.Retry.DEFAULT;
      Duration initial =
          s.optional(
              "initial_delay",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.positive(nodes.duration(n, k))),
              d.initialDelay());
      Duration max = s.optional("max_delay", nodes::duration, null);
      if (max == null) {
        max = initial.compareTo(d.maxDelay()) > 0 ? initial : d.maxDelay();
      } else if (max.compareTo(initial) < 0) {
        throw nodes.error(
            s.get("max_delay"),
            s.path("max_delay"),
            "must be at least retry.initial_delay ("
                + DurationParser.format(initial)
                + "), got "
                + DurationParser.format(max));
      }
      return new AgentConfig.Retry(initial, max);
    }

    private AgentConfig.Rsync rsync(Node node, String key) throws ConfigException {
      YamlSection s = nodes.section(node, key, RSYNC_KEYS);
      AgentConfig.Rsync d = AgentConfig.Rsync.DEFAULT;
      String binary =
          s.optional(
              "binary",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.rsyncBinary(nodes.string(n, k))),
              d.binary());
      Duration timeout =
          s.optional(
              "timeout",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.wholeSeconds(nodes.duration(n, k))),
              d.timeout());
      Duration connect =
          s.optional(
              "connect_timeout",
              (n, k) -> nodes.convert(n, k, () -> ConfigRules.wholeSeconds(nodes.duration(n, k))),
              d.connectTimeout());
      boolean compress = s.optional("compress", nodes::bool, d.compress());
      List<String> extra =
          s.optional(
              "extra_args", (n, k) -> nodes.strings(n, k, ConfigRules::extraArg), d.extraArgs());
      return new AgentConfig.Rsync(binary, timeout, connect, compress, extra);
    }

    private List<String> excludes(Node node, String key) throws ConfigException {
      return nodes.strings(
          node,
          key,
          pattern -> {
            ExcludeRules.of(List.of(pattern));
            return pattern;
          });
    }

    private List<TargetConfig> targets(Node node, Path source) throws ConfigException {
      if (!(node instanceof SequenceNode seq)) {
        throw nodes.error(
            node, "targets", "must be a list of targets, got " + NodeReader.describe(node));
      }
      if (seq.getValue().isEmpty()) {
        throw nodes.error(node, "targets", "at least one target is required");
      }
      // Explicit names first, so a name derived from a host never takes one the file asked for.
      List<YamlSection> sections = new ArrayList<>();
      Map<String, String> explicit = new HashMap<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String key = "targets[" + i + "]";
        YamlSection s =
            item instanceof ScalarNode && !NodeReader.isNull(item)
                ? null
                : nodes.section(item, key, TARGET_KEYS);
        sections.add(s);
        if (s != null && s.get("name") != null) {
          Node nameNode = s.get("name");
          String name =
              nodes.convert(
                  nameNode,
                  s.path("name"),
                  () -> ConfigRules.targetName(nodes.string(nameNode, s.path("name"))));
          String previous = explicit.putIfAbsent(name, s.path("name"));
          if (previous != null) {
            throw nodes.error(
                nameNode,
                s.path("name"),
                "\"" + name + "\" is already the name of " + previous.replace(".name", ""));
          }
        }
      }
      Set<String> taken = new HashSet<>(explicit.keySet());
      Map<TargetUrl, String> urls = new HashMap<>();
      List<TargetConfig> targets = new ArrayList<>();
      for (int i = 0; i < sections.size(); i++) {
        YamlSection s = sections.get(i);
        String key = "targets[" + i + "]";
        if (s == null) {
          // "- rsync://host/module": a target given by its URL alone.
          Node item = seq.getValue().get(i);
          TargetUrl url = targetUrl(item, key, source);
          unique(urls, url, item, key);
          String name = ConfigRules.derivedTargetName(url, taken);
          taken.add(name);
          targets.add(new TargetConfig(name, url, null, TargetConfig.DEFAULT_WORKERS, null));
          continue;
        }
        TargetUrl url =
            s.required(
                "url",
                (n, k) -> targetUrl(n, k, source),
                "where to replicate to: rsync://[user@]host/module, [user@]host:/path or /dir");
        unique(urls, url, s.get("url"), s.path("url"));
        String name;
        if (s.get("name") != null) {
          name = ConfigRules.targetName(nodes.string(s.get("name"), s.path("name")));
        } else {
          name = ConfigRules.derivedTargetName(url, taken);
          taken.add(name);
        }
        Path passwordFile = s.optional("password_file", this::absolutePath, null);
        if (passwordFile != null) {
          nodes.convert(
              s.get("password_file"),
              s.path("password_file"),
              () -> {
                ConfigRules.passwordFileFits(url);
                return url;
              });
          onDisk(
              s.get("password_file"),
              s.path("password_file"),
              () -> OnDiskRules.passwordFile(passwordFile));
        }
        int workers =
            s.optional(
                "workers",
                (n, k) ->
                    nodes.convert(
                        n,
                        k,
                        () -> ConfigRules.range(nodes.integer(n, k), 1, TargetConfig.MAX_WORKERS)),
                TargetConfig.DEFAULT_WORKERS);
        String ssh =
            s.optional(
                "ssh",
                (n, k) -> nodes.convert(n, k, () -> ConfigRules.ssh(nodes.string(n, k), url)),
                null);
        targets.add(new TargetConfig(name, url, passwordFile, workers, ssh));
      }
      return targets;
    }

    /** Two targets with one URL would run two rsyncs into the same place. */
    private void unique(Map<TargetUrl, String> urls, TargetUrl url, Node node, String key)
        throws ConfigException {
      String previous = urls.putIfAbsent(url, key);
      if (previous != null) {
        throw nodes.error(node, key, "the same URL as " + previous);
      }
    }

    private TargetUrl targetUrl(Node node, String key, Path source) throws ConfigException {
      String url = nodes.string(node, key).strip();
      try {
        return ConfigRules.targetUrl(url, source);
      } catch (IllegalArgumentException e) {
        throw nodes.error(node, key, e.getMessage());
      }
    }

    private Path absolutePath(Node node, String key) throws ConfigException {
      return nodes.convert(node, key, () -> ConfigRules.absolutePath(nodes.string(node, key)));
    }
  }
}

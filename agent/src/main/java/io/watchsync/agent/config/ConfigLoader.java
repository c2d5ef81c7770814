package io.watchsync.agent.config;

import io.watchsync.agent.filter.ExcludeRules;
import io.watchsync.agent.source.SourceMountMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads {@code watchsync.yml}. Every problem becomes a {@link ConfigException} whose message reads
 * {@code FILE:LINE: key.path: problem}, e.g. {@code /etc/watchsync/watchsync.yml:4:
 * targets[1].workers: must be between 1 and 64, got 0}. Unknown and duplicate keys are errors, so a
 * typo never silently falls back to a default.
 */
public final class ConfigLoader {
  /** Far above any real configuration; stops a wrong -c (a device, a log) from being slurped. */
  private static final int MAX_SIZE = 1024 * 1024;

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
    String text = read(file);
    Node root = parse(file, text);
    if (root == null) {
      throw new ConfigException(file + ": the file is empty; it needs at least source and targets");
    }
    return new FileReader(file, checkOnDisk).config(root);
  }

  private static String read(Path file) throws ConfigException {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigException(file + ": is a directory, not a configuration file");
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_SIZE + 1);
      }
      if (bytes.length > MAX_SIZE) {
        throw new ConfigException(
            file + ": larger than " + MAX_SIZE / 1024 + " KiB; not a configuration file");
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": permission denied");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text");
    }
  }

  private static Node parse(Path file, String text) throws ConfigException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(1000);
    try {
      return new Yaml(options).compose(new java.io.StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String where = mark == null ? file.toString() : file + ":" + (mark.getLine() + 1);
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new ConfigException(where + ": not valid YAML: " + oneLine(problem));
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + oneLine(e.getMessage()));
    }
  }

  private static String oneLine(String s) {
    return s == null ? "syntax error" : s.replaceAll("\\s+", " ").strip();
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

    private final Path file;

    /** Checks of the files named, run once the whole file is known to be well-formed. */
    private final List<Check<?>> onDisk;

    FileReader(Path file, boolean checkOnDisk) {
      this.file = file;
      this.onDisk = checkOnDisk ? new ArrayList<>() : null;
    }

    /** Queues an {@link OnDiskRules} check of the value at {@code node}, when asked for. */
    private void onDisk(Node node, String key, Supplier<?> check) {
      if (onDisk != null) {
        onDisk.add(() -> convert(node, key, check::get));
      }
    }

    AgentConfig config(Node root) throws ConfigException {
      Section top = section(root, "", TOP_KEYS);
      Path source = top.required("source", this::absolutePath, "the directory tree to replicate");
      onDisk(top.get("source"), "source", () -> OnDiskRules.sourceDirectory(source));
      Path stateDir = top.optional("state_dir", this::absolutePath, AgentConfig.DEFAULT_STATE_DIR);
      Node stateDirNode = top.get("state_dir") != null ? top.get("state_dir") : top.node;
      convert(
          stateDirNode,
          "state_dir",
          () -> {
            ConfigRules.stateDirOutsideSource(stateDir, source);
            return stateDir;
          });
      boolean initialSync = top.optional("initial_sync", this::bool, true);
      Duration fullSync =
          top.optional(
              "full_sync_interval", this::duration, AgentConfig.DEFAULT_FULL_SYNC_INTERVAL);
      String logLevel =
          top.optional(
              "log_level",
              (n, k) -> convert(n, k, () -> ConfigRules.logLevel(string(n, k))),
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
                  (n, k) -> convert(n, k, () -> SourceMountMode.parse(string(n, k).strip())),
                  AgentConfig.Guards.DEFAULT.sourceMount()),
              top.optional(
                  "max_delete",
                  (n, k) -> convert(n, k, () -> DeletionBudget.parse(string(n, k))),
                  AgentConfig.Guards.DEFAULT.maxDelete()));
      if (onDisk != null) {
        for (Check<?> check : onDisk) {
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
      Section s = section(node, key, STATUS_KEYS);
      AgentConfig.Status d = AgentConfig.Status.DEFAULT;
      boolean enabled = s.optional("enabled", this::bool, d.enabled());
      String address =
          s.optional(
              "address",
              (n, k) -> convert(n, k, () -> ConfigRules.listenAddress(string(n, k))),
              d.address());
      int port =
          s.optional(
              "port",
              (n, k) -> convert(n, k, () -> ConfigRules.range(integer(n, k), 0, 65535)),
              d.port());
      Duration maxLag =
          s.optional(
              "max_lag",
              (n, k) -> convert(n, k, () -> ConfigRules.positive(duration(n, k))),
              d.maxLag());
      return new AgentConfig.Status(enabled, address, port, maxLag);
    }

    private List<CallbackConfig> callbacks(Node node, String key) throws ConfigException {
      if (!(node instanceof SequenceNode seq)) {
        throw error(node, key, "must be a list of callbacks (- url: …), got " + describe(node));
      }
      List<CallbackConfig> out = new ArrayList<>();
      Map<java.net.URI, String> seen = new HashMap<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String itemKey = key + "[" + i + "]";
        Section s = section(item, itemKey, CALLBACK_KEYS);
        java.net.URI url =
            s.required(
                "url",
                (n, k) -> convert(n, k, () -> ConfigRules.callbackUrl(string(n, k))),
                "the URL to POST to: http://host[:port]/path or https://…");
        String previous = seen.putIfAbsent(url, s.path("url"));
        if (previous != null) {
          throw error(s.get("url"), s.path("url"), "the same URL as " + previous);
        }
        Path tokenFile = s.optional("token_file", this::absolutePath, null);
        Duration timeout =
            s.optional(
                "timeout",
                (n, k) -> convert(n, k, () -> ConfigRules.positive(duration(n, k))),
                CallbackConfig.DEFAULT_TIMEOUT);
        int retries =
            s.optional(
                "retries",
                (n, k) ->
                    convert(
                        n,
                        k,
                        () -> ConfigRules.range(integer(n, k), 0, CallbackConfig.MAX_RETRIES)),
                CallbackConfig.DEFAULT_RETRIES);
        Duration retryDelay =
            s.optional(
                "retry_delay",
                (n, k) -> convert(n, k, () -> ConfigRules.positive(duration(n, k))),
                CallbackConfig.DEFAULT_RETRY_DELAY);
        Duration maxDelay = s.optional("max_delay", this::duration, null);
        if (maxDelay == null) {
          maxDelay =
              retryDelay.compareTo(CallbackConfig.DEFAULT_MAX_DELAY) > 0
                  ? retryDelay
                  : CallbackConfig.DEFAULT_MAX_DELAY;
        } else if (maxDelay.compareTo(retryDelay) < 0) {
          throw error(
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
      Section s = section(node, key, BATCHING_KEYS);
      AgentConfig.Batching d = AgentConfig.Batching.DEFAULT;
      Duration window =
          s.optional(
              "window",
              (n, k) -> convert(n, k, () -> ConfigRules.window(duration(n, k))),
              d.window());
      int maxFiles =
          s.optional(
              "max_files",
              (n, k) -> convert(n, k, () -> ConfigRules.range(integer(n, k), 1, 100_000)),
              d.maxFiles());
      Duration grace = s.optional("write_grace", this::duration, d.writeGrace());
      int maxPending =
          s.optional(
              "max_pending",
              (n, k) -> convert(n, k, () -> ConfigRules.range(integer(n, k), 1, 100_000_000)),
              d.maxPending());
      return new AgentConfig.Batching(window, maxFiles, grace, maxPending);
    }

    private AgentConfig.Retry retry(Node node, String key) throws ConfigException {
      Section s = section(node, key, RETRY_KEYS);
      AgentConfig.Retry d = AgentConfig.Retry.DEFAULT;
      Duration initial =
          s.optional(
              "initial_delay",
              (n, k) -> convert(n, k, () -> ConfigRules.positive(duration(n, k))),
              d.initialDelay());
      Duration max = s.optional("max_delay", this::duration, null);
      if (max == null) {
        max = initial.compareTo(d.maxDelay()) > 0 ? initial : d.maxDelay();
      } else if (max.compareTo(initial) < 0) {
        throw error(
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
      Section s = section(node, key, RSYNC_KEYS);
      AgentConfig.Rsync d = AgentConfig.Rsync.DEFAULT;
      String binary =
          s.optional(
              "binary",
              (n, k) -> convert(n, k, () -> ConfigRules.rsyncBinary(string(n, k))),
              d.binary());
      Duration timeout =
          s.optional(
              "timeout",
              (n, k) -> convert(n, k, () -> ConfigRules.wholeSeconds(duration(n, k))),
              d.timeout());
      Duration connect =
          s.optional(
              "connect_timeout",
              (n, k) -> convert(n, k, () -> ConfigRules.wholeSeconds(duration(n, k))),
              d.connectTimeout());
      boolean compress = s.optional("compress", this::bool, d.compress());
      List<String> extra =
          s.optional("extra_args", (n, k) -> strings(n, k, ConfigRules::extraArg), d.extraArgs());
      return new AgentConfig.Rsync(binary, timeout, connect, compress, extra);
    }

    private List<String> excludes(Node node, String key) throws ConfigException {
      return strings(
          node,
          key,
          pattern -> {
            ExcludeRules.of(List.of(pattern));
            return pattern;
          });
    }

    private List<TargetConfig> targets(Node node, Path source) throws ConfigException {
      if (!(node instanceof SequenceNode seq)) {
        throw error(node, "targets", "must be a list of targets, got " + describe(node));
      }
      if (seq.getValue().isEmpty()) {
        throw error(node, "targets", "at least one target is required");
      }
      // Explicit names first, so a name derived from a host never takes one the file asked for.
      List<Section> sections = new ArrayList<>();
      Map<String, String> explicit = new HashMap<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String key = "targets[" + i + "]";
        Section s =
            item instanceof ScalarNode && !isNull(item) ? null : section(item, key, TARGET_KEYS);
        sections.add(s);
        if (s != null && s.get("name") != null) {
          Node nameNode = s.get("name");
          String name =
              convert(
                  nameNode,
                  s.path("name"),
                  () -> ConfigRules.targetName(string(nameNode, s.path("name"))));
          String previous = explicit.putIfAbsent(name, s.path("name"));
          if (previous != null) {
            throw error(
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
        Section s = sections.get(i);
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
          name = ConfigRules.targetName(string(s.get("name"), s.path("name")));
        } else {
          name = ConfigRules.derivedTargetName(url, taken);
          taken.add(name);
        }
        Path passwordFile = s.optional("password_file", this::absolutePath, null);
        if (passwordFile != null) {
          convert(
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
                    convert(
                        n, k, () -> ConfigRules.range(integer(n, k), 1, TargetConfig.MAX_WORKERS)),
                TargetConfig.DEFAULT_WORKERS);
        String ssh =
            s.optional(
                "ssh", (n, k) -> convert(n, k, () -> ConfigRules.ssh(string(n, k), url)), null);
        targets.add(new TargetConfig(name, url, passwordFile, workers, ssh));
      }
      return targets;
    }

    /** Two targets with one URL would run two rsyncs into the same place. */
    private void unique(Map<TargetUrl, String> urls, TargetUrl url, Node node, String key)
        throws ConfigException {
      String previous = urls.putIfAbsent(url, key);
      if (previous != null) {
        throw error(node, key, "the same URL as " + previous);
      }
    }

    private TargetUrl targetUrl(Node node, String key, Path source) throws ConfigException {
      String url = string(node, key).strip();
      try {
        return ConfigRules.targetUrl(url, source);
      } catch (IllegalArgumentException e) {
        throw error(node, key, e.getMessage());
      }
    }

    // ---- typed values -------------------------------------------------------------------------

    private Path absolutePath(Node node, String key) throws ConfigException {
      return convert(node, key, () -> ConfigRules.absolutePath(string(node, key)));
    }

    private Duration duration(Node node, String key) throws ConfigException {
      String text = string(node, key);
      return convert(node, key, () -> DurationParser.parse(text));
    }

    private long integer(Node node, String key) throws ConfigException {
      String text = string(node, key).strip().replace("_", "");
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw error(node, key, "must be a whole number, got \"" + string(node, key) + "\"");
      }
    }

    private boolean bool(Node node, String key) throws ConfigException {
      if (node instanceof ScalarNode scalar) {
        switch (scalar.getValue().strip().toLowerCase(java.util.Locale.ROOT)) {
          case "true":
          case "yes":
          case "on":
            return true;
          case "false":
          case "no":
          case "off":
            return false;
          default:
            break;
        }
      }
      throw error(node, key, "must be true or false, got " + describe(node));
    }

    private String string(Node node, String key) throws ConfigException {
      if (node instanceof ScalarNode scalar) {
        return scalar.getValue();
      }
      throw error(node, key, "must be a single value, got " + describe(node));
    }

    /** A list of strings, each checked by {@code check} (which may throw IAE). */
    private List<String> strings(Node node, String key, UnaryOperator<String> check)
        throws ConfigException {
      if (!(node instanceof SequenceNode seq)) {
        throw error(node, key, "must be a list such as [\"a\", \"b\"], got " + describe(node));
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        Node item = seq.getValue().get(i);
        String itemKey = key + "[" + i + "]";
        if (isNull(item)) {
          throw error(item, itemKey, "empty entry");
        }
        String value = string(item, itemKey);
        out.add(convert(item, itemKey, () -> check.apply(value)));
      }
      return out;
    }

    // ---- plumbing -----------------------------------------------------------------------------

    private interface Value<T> {
      T read(Node node, String key) throws ConfigException;
    }

    private interface Check<T> {
      T get() throws ConfigException;
    }

    /** Runs a check that throws IAE and reports it at {@code node}. */
    private <T> T convert(Node node, String key, Check<T> check) throws ConfigException {
      try {
        return check.get();
      } catch (IllegalArgumentException e) {
        throw error(node, key, e.getMessage());
      }
    }

    ConfigException error(Node node, String key, String problem) {
      int line = node.getStartMark().getLine() + 1;
      return new ConfigException(file + ":" + line + ": " + key + ": " + problem);
    }

    Section section(Node node, String path, List<String> known) throws ConfigException {
      if (!(node instanceof MappingNode mapping)) {
        String where = file + ":" + (node.getStartMark().getLine() + 1) + ": ";
        String what = path.isEmpty() ? "the file" : path + ":";
        throw new ConfigException(
            where + what + " must be a mapping of settings (key: value), got " + describe(node));
      }
      Section s = new Section(path, mapping);
      List<MappingNode> merged = new ArrayList<>();
      for (var tuple : mapping.getValue()) {
        Node keyNode = tuple.getKeyNode();
        if (keyNode.getTag().equals(Tag.MERGE)) {
          merged.addAll(mergeSources(tuple.getValueNode(), s.path("<<")));
          continue;
        }
        String key = checkedKey(keyNode, s, known);
        Node first = s.keys.putIfAbsent(key, keyNode);
        if (first != null) {
          throw error(
              keyNode,
              s.path(key),
              "duplicate key (already set on line " + (first.getStartMark().getLine() + 1) + ")");
        }
        s.values.put(key, tuple.getValueNode());
      }
      // YAML merge keys ("<<: *defaults"): keys written here win, then earlier sources.
      for (MappingNode source : merged) {
        for (var tuple : source.getValue()) {
          if (tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
            continue; // merge chains are left to the source mapping's own reading
          }
          String key = checkedKey(tuple.getKeyNode(), s, known);
          if (s.keys.putIfAbsent(key, tuple.getKeyNode()) == null) {
            s.values.put(key, tuple.getValueNode());
          }
        }
      }
      return s;
    }

    private String checkedKey(Node keyNode, Section s, List<String> known) throws ConfigException {
      if (!(keyNode instanceof ScalarNode scalar)) {
        throw error(keyNode, s.prefix.isEmpty() ? "?" : s.prefix, "keys must be plain names");
      }
      String key = scalar.getValue();
      String keyPath = s.path(key);
      if (key.equals("password") || key.equals("rsync_password")) {
        throw error(
            keyNode,
            keyPath,
            "passwords are not accepted in the configuration; put the password in a file"
                + " readable only by root and name it with password_file");
      }
      if (!known.contains(key)) {
        throw error(keyNode, keyPath, unknownKey(key, known));
      }
      return key;
    }

    private List<MappingNode> mergeSources(Node value, String key) throws ConfigException {
      if (value instanceof MappingNode m) {
        return List.of(m);
      }
      if (value instanceof SequenceNode seq) {
        List<MappingNode> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
          if (!(item instanceof MappingNode m)) {
            throw error(item, key, "can merge only mappings, got " + describe(item));
          }
          out.add(m);
        }
        return out;
      }
      throw error(value, key, "can merge only mappings, got " + describe(value));
    }

    /** One mapping of the file, its keys already checked. */
    private final class Section {
      final String prefix;
      final MappingNode node;
      final Map<String, Node> keys = new HashMap<>();
      final Map<String, Node> values = new HashMap<>();

      Section(String prefix, MappingNode node) {
        this.prefix = prefix;
        this.node = node;
      }

      String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
      }

      /**
       * The value node, or null when the key is absent or left empty ({@code key:} / {@code ~}).
       */
      Node get(String key) {
        Node n = values.get(key);
        return n == null || isNull(n) ? null : n;
      }

      <T> T optional(String key, Value<T> reader, T fallback) throws ConfigException {
        Node n = get(key);
        return n == null ? fallback : reader.read(n, path(key));
      }

      <T> T required(String key, Value<T> reader, String what) throws ConfigException {
        Node n = get(key);
        if (n == null) {
          Node at = values.containsKey(key) ? keys.get(key) : node;
          throw error(at, path(key), "required (" + what + ")");
        }
        return reader.read(n, path(key));
      }
    }

    private static boolean isNull(Node n) {
      return n instanceof ScalarNode && n.getTag().equals(Tag.NULL);
    }

    private static String describe(Node node) {
      if (node instanceof SequenceNode) {
        return "a list";
      }
      if (node instanceof MappingNode) {
        return "a mapping";
      }
      if (isNull(node)) {
        return "nothing";
      }
      return "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    private static String unknownKey(String key, List<String> known) {
      String suggestion = null;
      int best = 3;
      for (String k : known) {
        int d = distance(key, k);
        if (d < best) {
          best = d;
          suggestion = k;
        }
      }
      return "unknown key \""
          + key
          + "\""
          + (suggestion == null ? "" : ", did you mean \"" + suggestion + "\"?")
          + " (known: "
          + String.join(", ", known)
          + ")";
    }

    /** Levenshtein distance, for "did you mean". */
    private static int distance(String a, String b) {
      int[] prev = new int[b.length() + 1];
      int[] cur = new int[b.length() + 1];
      for (int j = 0; j <= b.length(); j++) {
        prev[j] = j;
      }
      for (int i = 1; i <= a.length(); i++) {
        cur[0] = i;
        for (int j = 1; j <= b.length(); j++) {
          int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
          cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        }
        int[] t = prev;
        prev = cur;
        cur = t;
      }
      return prev[b.length()];
    }
  }
}

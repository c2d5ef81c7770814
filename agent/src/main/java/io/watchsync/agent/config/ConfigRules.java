package io.watchsync.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks both configuration forms (file and command line) apply. Each throws {@link
 * IllegalArgumentException} whose message is the problem alone; the caller adds where it is.
 */
final class ConfigRules {
  static final int MAX_NAME_LENGTH = 64;
  static final Duration MAX_WINDOW = Duration.ofSeconds(10);
  static final int MAX_FILES_LIMIT = 100_000;
  static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug");

  /** Long options watchsync sets itself; the value after '=' does not matter. */
  private static final Set<String> MANAGED_LONG =
      Set.of(
          "--del",
          "--remove-source-files",
          "--remove-sent-files",
          "--password-file",
          "--rsh",
          "--files-from",
          "--from0");

  /** Long option prefixes for exclude/include rules: those belong in the excludes setting. */
  private static final List<String> FILTER_LONG =
      List.of("--exclude", "--include", "--filter", "--cvs-exclude");

  /** rsync short options that take an argument: the rest of the cluster is that argument. */
  private static final String SHORT_WITH_ARGUMENT = "BefMT@";

  private ConfigRules() {}

  static Path absolutePath(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must be an absolute path, got an empty value");
    }
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("must be a path without NUL bytes");
    }
    Path p = Path.of(text);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException(
          "must be an absolute path, got \"" + text + "\" (relative paths are not accepted)");
    }
    return p.normalize();
  }

  static void stateDirOutsideSource(Path stateDir, Path source) {
    if (stateDir.startsWith(source)) {
      throw new IllegalArgumentException(
          stateDir
              + " is inside the source "
              + source
              + "; journal writes would be replicated in a loop");
    }
  }

  static int range(long value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "must be between " + min + " and " + max + ", got " + value);
    }
    return (int) value;
  }

  static Duration window(Duration d) {
    if (d.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "must be at most "
              + DurationParser.format(MAX_WINDOW)
              + ", got "
              + DurationParser.format(d)
              + " (it delays every change)");
    }
    return d;
  }

  static Duration positive(Duration d) {
    if (d.isZero()) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return d;
  }

  static Duration wholeSeconds(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "must be whole seconds (rsync counts in seconds), got " + DurationParser.format(d));
    }
    return d;
  }

  static String logLevel(String text) {
    String level = text.strip().toLowerCase(Locale.ROOT);
    if (level.equals("warning")) {
      level = "warn";
    }
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException(
          "unknown log level \"" + text + "\" (use error, warn, info or debug)");
    }
    return level;
  }

  static String rsyncBinary(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must name the rsync program, got an empty value");
    }
    if (text.indexOf('/') >= 0 && !text.startsWith("/")) {
      throw new IllegalArgumentException(
          "must be a command name found on PATH or an absolute path, got \"" + text + "\"");
    }
    return text;
  }

  /** Rejects options watchsync manages itself, with the reason. */
  static String extraArg(String arg) {
    if (arg.isEmpty()) {
      throw new IllegalArgumentException("empty argument");
    }
    if (arg.startsWith("--")) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (MANAGED_LONG.contains(name) || name.startsWith("--delete")) {
        throw managed(arg);
      }
      for (String filter : FILTER_LONG) {
        if (name.startsWith(filter)) {
          throw filterRule(arg);
        }
      }
    } else if (arg.startsWith("-") && arg.length() > 1) {
      for (int i = 1; i < arg.length(); i++) {
        char c = arg.charAt(i);
        if (c == 'e' || c == '0') {
          throw managed(arg);
        }
        if (c == 'f' || c == 'F' || c == 'C') {
          throw filterRule(arg);
        }
        if (SHORT_WITH_ARGUMENT.indexOf(c) >= 0) {
          break;
        }
      }
    }
    return arg;
  }

  private static IllegalArgumentException managed(String arg) {
    return new IllegalArgumentException(
        "\""
            + arg
            + "\" is managed by watchsync and cannot be set here"
            + " (deletion, file lists, password file and remote shell are set per target)");
  }

  private static IllegalArgumentException filterRule(String arg) {
    return new IllegalArgumentException(
        "\""
            + arg
            + "\" cannot be set here; put exclude patterns in the excludes setting so the"
            + " watcher skips the same paths rsync does");
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  static String targetName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "must be 1 to " + MAX_NAME_LENGTH + " characters, got \"" + name + "\"");
    }
    for (char c : name.toCharArray()) {
      if (!isNameChar(c)) {
        throw new IllegalArgumentException(
            "may hold only letters, digits, '.', '_' and '-', got \"" + name + "\"");
      }
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("\"" + name + "\" is not a usable name");
    }
    return name;
  }

  /** Parses a target URL and refuses one the agent must not replicate to. */
  static TargetUrl targetUrl(String text, Path source) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    if (TargetUrl.holdsPassword(text)) {
      throw new IllegalArgumentException(
          "the URL holds a password; remove it and put the password in a file named by"
              + " password_file (mode 0600)");
    }
    TargetUrl url = TargetUrl.parse(text);
    if (url.kind() == TargetUrl.Kind.LOCAL && source != null) {
      Path dir = url.localPath();
      if (dir.startsWith(source) || source.startsWith(dir)) {
        throw new IllegalArgumentException(
            "the local target " + dir + " overlaps the source " + source);
      }
    }
    return url;
  }

  /**
   * A target name derived from the URL's host ({@code local} for a local directory), made of the
   * allowed characters and different from every name in {@code taken} ({@code host}, {@code
   * host-2}, {@code host-3}, …).
   */
  static String derivedTargetName(TargetUrl url, Collection<String> taken) {
    StringBuilder base = new StringBuilder();
    String host = url.kind() == TargetUrl.Kind.LOCAL ? "local" : url.host();
    for (char c : host.toCharArray()) {
      base.append(isNameChar(c) ? c : '-');
    }
    String name = base.length() == 0 ? "target" : base.toString();
    if (name.length() > MAX_NAME_LENGTH - 4) {
      name = name.substring(0, MAX_NAME_LENGTH - 4);
    }
    String candidate = name;
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = name + "-" + n;
    }
    return candidate;
  }

  static void passwordFileFits(TargetUrl url) {
    if (url.kind() != TargetUrl.Kind.DAEMON) {
      throw new IllegalArgumentException(
          "only rsync daemon targets (rsync://…) use a password file; this target is "
              + describe(url.kind()));
    }
  }

  static String ssh(String command, TargetUrl url) {
    if (url.kind() != TargetUrl.Kind.SSH) {
      throw new IllegalArgumentException(
          "only ssh targets (user@host:/path) use ssh; this target is " + describe(url.kind()));
    }
    if (command.isBlank()) {
      throw new IllegalArgumentException("must be a command such as \"ssh -p 2222\", got nothing");
    }
    return command.strip();
  }

  /** An IP address or host name to listen on. */
  static String listenAddress(String text) {
    String a = text.strip();
    if (a.isEmpty()) {
      throw new IllegalArgumentException(
          "must be an address such as 127.0.0.1, got an empty value");
    }
    for (char c : a.toCharArray()) {
      if (!(isNameChar(c) || c == ':' || c == '[' || c == ']')) {
        throw new IllegalArgumentException(
            "must be an IP address or a host name such as 127.0.0.1, got \"" + text + "\"");
      }
    }
    return a;
  }

  /** An http(s) URL with a host and no credentials in it. */
  static java.net.URI callbackUrl(String text) {
    java.net.URI uri;
    try {
      uri = new java.net.URI(text.strip());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "must be an http:// or https:// URL, got \"" + uri.getScheme() + ":…\"");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("must name a host (http://host[:port]/path)");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "the URL holds credentials; put a bearer token in a file named by token_file"
              + " (mode 0600)");
    }
    return uri;
  }

  private static String describe(TargetUrl.Kind kind) {
    switch (kind) {
      case DAEMON:
        return "an rsync daemon";
      case SSH:
        return "reached over ssh";
      default:
        return "a local directory";
    }
  }
}

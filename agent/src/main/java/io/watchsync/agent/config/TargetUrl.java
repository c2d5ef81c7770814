package io.watchsync.agent.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a target lives, parsed once from the URL an operator writes in the configuration (or on the
 * command line) and carried from there to the transport.
 *
 * <ul>
 *   <li>{@code rsync://[user@]host[:port]/module[/path]}: an rsync daemon (IPv6 in brackets);
 *   <li>{@code [user@]host:/absolute/path}: rsync over ssh;
 *   <li>{@code /absolute/dir}: a directory on this machine (a mounted backup disk, say).
 * </ul>
 *
 * <p>Only {@link #parse} makes one, so every value is valid, and none holds a password: a URL with
 * one is refused, and {@link #redact} hides it in the message that says so.
 */
public final class TargetUrl {

  /** The three ways of reaching a target. */
  public enum Kind {
    DAEMON,
    SSH,
    LOCAL
  }

  private static final String FORMS =
      "expected rsync://[user@]host[:port]/module[/path], [user@]host:/absolute/path"
          + " or /absolute/directory";
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*\\$?");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9._-]*)");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
  private static final Pattern MODULE = Pattern.compile("[^/\\s\\]\\[]+");
  private static final Pattern SSH =
      Pattern.compile("(?:([^@/:\\[\\]]+)@)?(\\[[^\\]]*\\]|[^@/:\\[\\]]+):(.*)", Pattern.DOTALL);
  private static final Pattern PASSWORD = Pattern.compile("(?i)(rsync://[^:/@]*):[^/]*@");

  private final Kind kind;
  private final String user;
  private final String host;
  private final int port;
  private final String module;
  private final String path;
  private final String url;

  private TargetUrl(
      Kind kind, String user, String host, int port, String module, String path, String url) {
    this.kind = kind;
    this.user = user;
    this.host = host;
    this.port = port;
    this.module = module;
    this.path = path;
    this.url = url;
  }

  /**
   * Parses a target URL.
   *
   * @throws IllegalArgumentException with a message naming the value and what is wrong with it
   */
  public static TargetUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("empty target URL: " + FORMS);
    }
    // First, so that no later message repeats the password.
    if (holdsPassword(url)) {
      throw new IllegalArgumentException(
          "target URL '"
              + redact(url)
              + "' contains a password; put it in a password file (mode 0600) instead");
    }
    if (!url.equals(url.strip())) {
      throw new IllegalArgumentException(
          "target URL '" + url + "' has leading or trailing white space");
    }
    if (url.indexOf('\n') >= 0 || url.indexOf('\0') >= 0 || url.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("target URL '" + url + "' contains a control character");
    }
    if (url.regionMatches(true, 0, "rsync://", 0, 8)) {
      return parseDaemon(url);
    }
    if (url.startsWith("/")) {
      return new TargetUrl(Kind.LOCAL, null, null, 0, null, normalize(url, url, true), url);
    }
    int colon = url.indexOf(':');
    int slash = url.indexOf('/');
    if (url.contains("://")) {
      throw new IllegalArgumentException("target URL '" + url + "': unsupported scheme; " + FORMS);
    }
    if (colon > 0 && (slash < 0 || colon < slash || url.startsWith("["))) {
      return parseSsh(url);
    }
    throw new IllegalArgumentException(
        "target URL '" + url + "' is neither remote nor an absolute directory; " + FORMS);
  }

  private static TargetUrl parseDaemon(String url) {
    String rest = url.substring(8);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String modulePath = slash < 0 ? "" : rest.substring(slash + 1);
    String user = null;
    String hostPort = authority;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      user = authority.substring(0, at);
      hostPort = authority.substring(at + 1);
      checkUser(url, user);
    }
    String host;
    int port = 0;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("target URL '" + url + "': missing ']' after IPv6");
      }
      host = hostPort.substring(1, close);
      checkIpv6(url, host);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException(
              "target URL '" + url + "': unexpected '" + after + "' after the address");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = hostPort.indexOf(':');
      if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException(
            "target URL '" + url + "': put an IPv6 address in brackets, like rsync://[::1]/module");
      }
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
      checkHostName(url, host);
    }
    if (portText != null) {
      port = parsePort(url, portText);
    }
    int moduleEnd = modulePath.indexOf('/');
    String module = moduleEnd < 0 ? modulePath : modulePath.substring(0, moduleEnd);
    if (module.isEmpty()) {
      throw new IllegalArgumentException(
          "target URL '" + url + "' names no module, like rsync://host/module");
    }
    if (!MODULE.matcher(module).matches()) {
      throw new IllegalArgumentException(
          "target URL '" + url + "': invalid module name '" + module + "'");
    }
    String path = moduleEnd < 0 ? "" : normalize(url, modulePath.substring(moduleEnd + 1), false);
    return new TargetUrl(Kind.DAEMON, user, host, port, module, path, url);
  }

  private static TargetUrl parseSsh(String url) {
    Matcher m = SSH.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("target URL '" + url + "' is malformed; " + FORMS);
    }
    String user = m.group(1);
    String host = m.group(2);
    String path = m.group(3);
    if (user != null) {
      checkUser(url, user);
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
      checkIpv6(url, host);
    } else {
      checkHostName(url, host);
    }
    if (path.startsWith(":")) {
      throw new IllegalArgumentException(
          "target URL '"
              + url
              + "': for an rsync daemon write rsync://host/module"
              + " (and put an IPv6 address in brackets)");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "target URL '"
              + url
              + "' needs an absolute path after the colon, like "
              + (user == null ? "" : user + "@")
              + m.group(2)
              + ":/srv/backup");
    }
    return new TargetUrl(Kind.SSH, user, host, 0, null, normalize(url, path, true), url);
  }

  private static void checkUser(String url, String user) {
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException("target URL '" + url + "': invalid user '" + user + "'");
    }
  }

  private static void checkHostName(String url, String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("target URL '" + url + "' names no host");
    }
    if (!HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException("target URL '" + url + "': invalid host '" + host + "'");
    }
  }

  private static void checkIpv6(String url, String host) {
    if (host.indexOf(':') < 0 || !IPV6.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "target URL '" + url + "': invalid IPv6 address '" + host + "'");
    }
  }

  private static int parsePort(String url, String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("target URL '" + url + "': invalid port '" + text + "'");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "target URL '" + url + "': port " + port + " is outside 1-65535");
    }
    return port;
  }

  /** Collapses repeated and trailing slashes, refuses "." and ".." components. */
  private static String normalize(String url, String path, boolean absolute) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException(
            "target URL '" + url + "': path must not contain '.' or '..' components");
      }
      parts.add(part);
    }
    String joined = String.join("/", parts);
    if (absolute && joined.isEmpty()) {
      // A full sync deletes whatever the source lacks: "/" as a target would wipe the host.
      throw new IllegalArgumentException(
          "target URL '" + url + "': refusing the root directory '/' as a target");
    }
    return absolute ? "/" + joined : joined;
  }

  /** True for {@code rsync://user:secret@host/…}: a password written into the URL. */
  public static boolean holdsPassword(String url) {
    String text = url.strip();
    if (!text.regionMatches(true, 0, "rsync://", 0, 8)) {
      return false;
    }
    String rest = text.substring(8);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int at = authority.lastIndexOf('@');
    return at >= 0 && authority.substring(0, at).indexOf(':') >= 0;
  }

  /**
   * The text with the password of an {@code rsync://user:secret@host/…} URL replaced by {@code
   * ***}, for messages about a URL that may not parse.
   */
  public static String redact(String url) {
    return holdsPassword(url) ? PASSWORD.matcher(url).replaceFirst("$1:***@") : url;
  }

  /** Which transport the URL selects. */
  public Kind kind() {
    return kind;
  }

  /** The login name, or {@code null} when the URL has none. */
  public String user() {
    return user;
  }

  /** The host name or IP address without brackets ({@code null} for a local directory). */
  public String host() {
    return host;
  }

  /** The daemon port, or 0 for rsync's default. */
  public int port() {
    return port;
  }

  /** The daemon module ({@code null} unless {@link Kind#DAEMON}). */
  public String module() {
    return module;
  }

  /** The directory: below the module for a daemon (may be empty), absolute otherwise. */
  public String path() {
    return path;
  }

  /** The destination argument for rsync, with a trailing slash (the directory's contents). */
  public String rsyncDestination() {
    return switch (kind) {
      case DAEMON -> {
        StringBuilder b = new StringBuilder("rsync://");
        if (user != null) {
          b.append(user).append('@');
        }
        b.append(bracketed());
        if (port != 0) {
          b.append(':').append(port);
        }
        b.append('/').append(module).append('/');
        if (!path.isEmpty()) {
          b.append(path).append('/');
        }
        yield b.toString();
      }
      case SSH -> (user == null ? "" : user + "@") + bracketed() + ":" + slashEnded(path);
      case LOCAL -> slashEnded(path);
    };
  }

  /** The {@code [user@]host} argument for ssh (an IPv6 address without brackets). */
  public String sshHost() {
    if (kind != Kind.SSH) {
      throw new IllegalStateException(url + " is not an ssh target");
    }
    return user == null ? host : user + "@" + host;
  }

  /** The target directory on this machine. */
  public Path localPath() {
    if (kind != Kind.LOCAL) {
      throw new IllegalStateException(url + " is not a local directory");
    }
    return Path.of(path);
  }

  /** The directory on the remote host (ssh) or this machine (local). */
  public String directory() {
    if (kind == Kind.DAEMON) {
      throw new IllegalStateException(url + " is an rsync daemon module, not a directory");
    }
    return path;
  }

  private String bracketed() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static String slashEnded(String dir) {
    return dir.endsWith("/") ? dir : dir + "/";
  }

  /** Equal when written alike: the parts follow from the text. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TargetUrl other && url.equals(other.url);
  }

  @Override
  public int hashCode() {
    return url.hashCode();
  }

  /** The URL as written (which holds no password: {@link #parse} refuses one). */
  @Override
  public String toString() {
    return url;
  }
}

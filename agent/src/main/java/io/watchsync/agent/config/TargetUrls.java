package io.watchsync.agent.config;

import java.util.Collection;
import java.util.Locale;

/**
 * The little the configuration needs to know about target URLs (the transport owns the real
 * parser): which kind a URL is, which host it names, and how to show it without a password.
 */
final class TargetUrls {
  enum Kind {
    DAEMON,
    SSH,
    LOCAL
  }

  private TargetUrls() {}

  static Kind kind(String url) {
    if (url.startsWith("/")) {
      return Kind.LOCAL;
    }
    if (url.toLowerCase(Locale.ROOT).startsWith("rsync://")) {
      return Kind.DAEMON;
    }
    int colon = url.indexOf(':');
    int slash = url.indexOf('/');
    boolean doubleColon = colon >= 0 && url.startsWith("::", colon);
    if (doubleColon && (slash < 0 || slash > colon)) {
      return Kind.DAEMON; // host::module, rsync's other daemon syntax
    }
    return Kind.SSH;
  }

  /** True for {@code rsync://user:secret@host/…}: a password written into the URL. */
  static boolean hasPassword(String url) {
    if (kind(url) != Kind.DAEMON || !url.toLowerCase(Locale.ROOT).startsWith("rsync://")) {
      return false;
    }
    String authority = authority(url);
    int at = authority.lastIndexOf('@');
    return at >= 0 && authority.substring(0, at).indexOf(':') >= 0;
  }

  /** The URL with any password in it replaced by {@code ***}, for messages. */
  static String redact(String url) {
    if (!hasPassword(url)) {
      return url;
    }
    String authority = authority(url);
    int at = authority.lastIndexOf('@');
    String user = authority.substring(0, authority.indexOf(':'));
    return "rsync://" + user + ":***" + url.substring("rsync://".length() + at);
  }

  private static String authority(String url) {
    String rest = url.substring("rsync://".length());
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }

  /** The host a URL names ({@code local} for a local directory), as written. */
  static String host(String url) {
    String hostPart;
    switch (kind(url)) {
      case LOCAL:
        return "local";
      case DAEMON:
        if (url.toLowerCase(Locale.ROOT).startsWith("rsync://")) {
          hostPart = authority(url);
          hostPart = hostPart.substring(hostPart.lastIndexOf('@') + 1);
          if (hostPart.startsWith("[")) {
            int close = hostPart.indexOf(']');
            return close > 0 ? hostPart.substring(1, close) : hostPart.substring(1);
          }
          int colon = hostPart.indexOf(':');
          return colon >= 0 ? hostPart.substring(0, colon) : hostPart;
        }
        hostPart = url.substring(0, url.indexOf("::"));
        return hostPart.substring(hostPart.lastIndexOf('@') + 1);
      default:
        int colon = url.indexOf(':');
        hostPart = colon >= 0 ? url.substring(0, colon) : url;
        hostPart = hostPart.substring(hostPart.lastIndexOf('@') + 1);
        if (hostPart.startsWith("[")) {
          int close = url.indexOf(']');
          return close > 0 ? url.substring(url.indexOf('[') + 1, close) : hostPart;
        }
        return hostPart;
    }
  }

  /**
   * A target name derived from the URL's host, made of the allowed characters and different from
   * every name in {@code taken} ({@code host}, {@code host-2}, {@code host-3}, …).
   */
  static String deriveName(String url, Collection<String> taken) {
    StringBuilder base = new StringBuilder();
    for (char c : host(url).toCharArray()) {
      base.append(ConfigRules.isNameChar(c) ? c : '-');
    }
    String name = base.length() == 0 ? "target" : base.toString();
    if (name.length() > ConfigRules.MAX_NAME_LENGTH - 4) {
      name = name.substring(0, ConfigRules.MAX_NAME_LENGTH - 4);
    }
    String candidate = name;
    for (int n = 2; taken.contains(candidate); n++) {
      candidate = name + "-" + n;
    }
    return candidate;
  }
}

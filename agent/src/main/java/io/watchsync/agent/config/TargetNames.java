package io.watchsync.agent.config;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Default target names, derived from the host in the URL. */
final class TargetNames {
  static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DAEMON = Pattern.compile("rsync://(?:[^@/]*@)?(\\[[^]]*]|[^:/]*)");
  private static final Pattern SSH = Pattern.compile("(?:[^@/:]*@)?(\\[[^]]*]|[^:/]+):.*");

  private TargetNames() {}

  static String fromUrl(String url) {
    Matcher m = DAEMON.matcher(url);
    String host = null;
    if (m.lookingAt()) {
      host = m.group(1);
    } else if (!url.startsWith("/")) {
      m = SSH.matcher(url);
      if (m.matches()) {
        host = m.group(1);
      }
    }
    if (host == null || host.isEmpty()) {
      return "local";
    }
    String name = host.replaceAll("[^A-Za-z0-9._-]", "_");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  static String unique(String base, Collection<String> taken) {
    if (!taken.contains(base)) {
      return base;
    }
    for (int i = 2; ; i++) {
      String candidate = base + "-" + i;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }
}

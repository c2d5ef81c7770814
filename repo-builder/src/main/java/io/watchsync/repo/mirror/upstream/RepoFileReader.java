package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.mirror.MirrorException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the enabled repositories of a yum/dnf {@code .repo} file, as dnf does: INI sections (the
 * {@code [main]} section is not a repository), values continued on indented lines, several baseurls
 * separated by spaces or commas, {@code $basearch}, {@code $arch} and {@code $releasever} (also as
 * {@code ${NAME}}) substituted, {@code enabled=0} sections left out.
 */
public final class RepoFileReader {
  private final Map<String, String> variables;

  /** {@code variables}: name (without $) to value, e.g. basearch → x86_64. */
  public RepoFileReader(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  public List<UpstreamSource> read(Path file) throws MirrorException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MirrorException("--repofile " + IoErrors.describe(e), true);
    }
    Map<String, Map<String, String>> sections = sections(file, lines);
    List<UpstreamSource> sources = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> section : sections.entrySet()) {
      if (section.getKey().equals("main")) {
        continue;
      }
      Map<String, String> values = section.getValue();
      if (!flag(values.getOrDefault("enabled", "1"))) {
        continue;
      }
      sources.add(source(file, section.getKey(), values));
    }
    return sources;
  }

  private static Map<String, Map<String, String>> sections(Path file, List<String> lines)
      throws MirrorException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> current = null;
    String lastKey = null;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        current = new LinkedHashMap<>();
        sections.put(trimmed.substring(1, trimmed.length() - 1).strip(), current);
        lastKey = null;
        continue;
      }
      if (current == null) {
        throw new MirrorException(
            "--repofile " + file + ":" + (n + 1) + ": a setting before any [section]", true);
      }
      if (Character.isWhitespace(line.charAt(0)) && lastKey != null) {
        current.merge(lastKey, " " + trimmed, String::concat);
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0) {
        throw new MirrorException(
            "--repofile " + file + ":" + (n + 1) + ": not KEY=VALUE: " + trimmed, true);
      }
      lastKey = trimmed.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      current.put(lastKey, trimmed.substring(eq + 1).strip());
    }
    return sections;
  }

  private UpstreamSource source(Path file, String id, Map<String, String> values)
      throws MirrorException {
    String where = "--repofile " + file + " [" + id + "]";
    List<URI> baseurls = new ArrayList<>();
    String baseurl = values.get("baseurl");
    if (baseurl != null) {
      for (String url : baseurl.split("[\\s,]+")) {
        if (!url.isEmpty()) {
          baseurls.add(uri(where, "baseurl", url));
        }
      }
    }
    URI mirrorlist = optionalUri(where, "mirrorlist", values.get("mirrorlist"));
    URI metalink = optionalUri(where, "metalink", values.get("metalink"));
    if (baseurls.isEmpty() && mirrorlist == null && metalink == null) {
      throw new MirrorException(where + ": no baseurl, mirrorlist or metalink", true);
    }
    String proxy = values.get("proxy");
    return new UpstreamSource(
        id,
        List.copyOf(baseurls),
        mirrorlist,
        metalink,
        blankToNull(values.get("username")),
        blankToNull(values.get("password")),
        path(values.get("sslcacert")),
        path(values.get("sslclientcert")),
        path(values.get("sslclientkey")),
        proxy == null || proxy.isBlank() || proxy.equals("_none_")
            ? null
            : uri(where, "proxy", proxy),
        gpgkeys(where, values.get("gpgkey")),
        PackageFilter.of(
            values.get("includepkgs"),
            values.getOrDefault("excludepkgs", "") + " " + values.getOrDefault("exclude", "")),
        flag(values.getOrDefault("sslverify", "1")),
        blankToNull(values.get("proxy_username")),
        blankToNull(values.get("proxy_password")));
  }

  /** {@code gpgkey=}: one or more key URLs, separated by blanks or commas. */
  private List<URI> gpgkeys(String where, String value) throws MirrorException {
    List<URI> keys = new ArrayList<>();
    if (value != null) {
      for (String url : value.split("[\\s,]+")) {
        if (!url.isEmpty()) {
          keys.add(uri(where, "gpgkey", url));
        }
      }
    }
    return List.copyOf(keys);
  }

  private URI optionalUri(String where, String key, String value) throws MirrorException {
    return value == null || value.isBlank() ? null : uri(where, key, value);
  }

  private URI uri(String where, String key, String value) throws MirrorException {
    String url = substitute(value);
    if (url.startsWith("/")) {
      url = "file://" + url;
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if (!List.of("http", "https", "file").contains(scheme)) {
        throw new MirrorException(
            where + ": " + key + " " + url + ": use an http, https or file URL", true);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new MirrorException(where + ": " + key + " " + url + ": " + e.getReason(), true);
    }
  }

  private Path path(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = substitute(value);
    return Path.of(v.startsWith("file://") ? v.substring("file://".length()) : v);
  }

  /** dnf's $NAME and ${NAME}; an unknown variable stays as written. */
  String substitute(String value) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$' && i + 1 < value.length()) {
        boolean braced = value.charAt(i + 1) == '{';
        int start = braced ? i + 2 : i + 1;
        int end = start;
        while (end < value.length()
            && (Character.isLetterOrDigit(value.charAt(end)) || value.charAt(end) == '_')) {
          end++;
        }
        String name = value.substring(start, end);
        boolean closed = !braced || (end < value.length() && value.charAt(end) == '}');
        String replacement = variables.get(name);
        if (!name.isEmpty() && closed && replacement != null) {
          out.append(replacement);
          i = braced ? end + 1 : end;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean flag(String value) {
    return !(value.equals("0") || value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no"));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

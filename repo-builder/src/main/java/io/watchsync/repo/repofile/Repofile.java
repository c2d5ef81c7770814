package io.watchsync.repo.repofile;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One repository section of a yum/dnf {@code .repo} file (under {@code /etc/yum.repos.d}), with
 * every value checked so that nothing can break out of its line or its section.
 *
 * <ul>
 *   <li>{@code id}: letters, digits and {@code - _ . :} (what dnf accepts as a repo id);
 *   <li>{@code name}: any text without control characters; empty means the id;
 *   <li>{@code baseurl} and {@code gpgkey}: a {@code file://}, {@code http://}, {@code https://} or
 *       {@code ftp://} URL, or an absolute path, which becomes a {@code file://} URL ({@code
 *       /srv/repo} is {@code file:///srv/repo}); no spaces or commas, which dnf reads as separators
 *       between several URLs (percent-encode them in http URLs);
 *   <li>{@code enabled}, {@code gpgcheck} and {@code repo_gpgcheck}: {@code 0} or {@code 1}; the
 *       two checks default to 1 when a gpgkey is given, to 0 otherwise.
 * </ul>
 *
 * dnf's variables ({@code $basearch}, {@code $releasever}) are allowed in name and URLs.
 */
public final class Repofile {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]+");
  private static final Pattern SCHEME = Pattern.compile("(?i)(file|https?|ftp)://.*");

  private final String id;
  private final String name;
  private final String baseurl;
  private final boolean enabled;
  private final boolean gpgcheck;
  private final boolean repoGpgcheck;
  private final String gpgkey;

  private Repofile(
      String id,
      String name,
      String baseurl,
      boolean enabled,
      boolean gpgcheck,
      boolean repoGpgcheck,
      String gpgkey) {
    this.id = id;
    this.name = name;
    this.baseurl = baseurl;
    this.enabled = enabled;
    this.gpgcheck = gpgcheck;
    this.repoGpgcheck = repoGpgcheck;
    this.gpgkey = gpgkey;
  }

  /**
   * Checks and normalises the values given as text (as on a command line).
   *
   * @param name null or empty: the id
   * @param gpgcheck null: 1 when a gpgkey is given, 0 otherwise
   * @param repoGpgcheck the same
   * @param gpgkey null: no gpgkey line
   */
  public static Repofile of(
      String id,
      String name,
      String baseurl,
      String enabled,
      String gpgcheck,
      String repoGpgcheck,
      String gpgkey)
      throws RepofileException {
    if (!ID.matcher(id).matches()) {
      throw new RepofileException("id", id, "use letters, digits and - _ . : only");
    }
    String checkedName = name == null || name.isEmpty() ? id : name;
    if (hasControl(checkedName)) {
      throw new RepofileException("name", checkedName, "control characters are not allowed");
    }
    if (checkedName.isBlank()) {
      throw new RepofileException("name", checkedName, "must not be blank");
    }
    String checks = gpgkey == null ? "0" : "1";
    return new Repofile(
        id,
        checkedName,
        url("baseurl", baseurl),
        flag("enabled", enabled),
        flag("gpgcheck", gpgcheck == null ? checks : gpgcheck),
        flag("repo-gpgcheck", repoGpgcheck == null ? checks : repoGpgcheck),
        gpgkey == null ? null : url("gpgkey", gpgkey));
  }

  private static boolean flag(String setting, String value) throws RepofileException {
    return switch (value) {
      case "0" -> false;
      case "1" -> true;
      default -> throw new RepofileException(setting, value, "use 0 or 1");
    };
  }

  private static String url(String setting, String value) throws RepofileException {
    if (hasControl(value)) {
      throw new RepofileException(setting, value, "control characters are not allowed");
    }
    if (value.chars().anyMatch(c -> c == ',' || Character.isWhitespace(c))) {
      throw new RepofileException(
          setting,
          value,
          "spaces and commas separate URLs in a .repo file; percent-encode them (%20, %2C)");
    }
    String url = value.startsWith("/") ? "file://" + value : value;
    if (!SCHEME.matcher(url).matches()) {
      throw new RepofileException(
          setting, value, "use a file://, http://, https:// or ftp:// URL, or an absolute path");
    }
    String rest = url.substring(url.indexOf("://") + 3);
    boolean file = url.regionMatches(true, 0, "file", 0, 4);
    if (file && !rest.startsWith("/")) {
      throw new RepofileException(
          setting, value, "a file URL needs an absolute path: file:///PATH");
    }
    if (!file && (rest.isEmpty() || rest.startsWith("/"))) {
      throw new RepofileException(setting, value, "the URL has no host");
    }
    return url;
  }

  private static boolean hasControl(String s) {
    return s.codePoints().anyMatch(Repofile::isControl);
  }

  /** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
  static boolean isControl(int c) {
    return Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
  }

  public String id() {
    return id;
  }

  /** The URL as written: an absolute path given for it has become a file:// URL. */
  public String baseurl() {
    return baseurl;
  }

  /**
   * What is legal but likely to surprise: gpgcheck=1 without a gpgkey works only when the signing
   * keys are already imported into the rpm database of every host that uses the file.
   */
  public List<String> warnings() {
    if (gpgcheck && gpgkey == null) {
      return List.of(
          "gpgcheck=1 without --gpgkey: dnf will install only packages signed by keys already"
              + " imported on the host (rpm --import KEY)");
    }
    if (repoGpgcheck && gpgkey == null) {
      return List.of(
          "repo_gpgcheck=1 without --gpgkey: dnf will read the repository only when its"
              + " signing key is in dnf's keyring for it already");
    }
    return List.of();
  }

  /** The section as it goes in a .repo file, ending with a newline. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append('[').append(id).append("]\n");
    s.append("name=").append(name).append('\n');
    s.append("baseurl=").append(baseurl).append('\n');
    s.append("enabled=").append(enabled ? 1 : 0).append('\n');
    s.append("gpgcheck=").append(gpgcheck ? 1 : 0).append('\n');
    s.append("repo_gpgcheck=").append(repoGpgcheck ? 1 : 0).append('\n');
    if (gpgkey != null) {
      s.append("gpgkey=").append(gpgkey).append('\n');
    }
    return s.toString();
  }
}

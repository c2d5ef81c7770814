package io.watchsync.repo.repofile;

/** A value that cannot go into a .repo file; the message names the setting, the value and why. */
public final class RepofileException extends Exception {
  private final String setting;

  RepofileException(String setting, String value, String reason) {
    super(setting + " '" + printable(value) + "': " + reason);
    this.setting = setting;
  }

  /** The .repo setting the value was meant for: id, name, baseurl, enabled, gpgcheck, gpgkey. */
  public String setting() {
    return setting;
  }

  /** Control characters shown escaped, so the message stays on one line. */
  private static String printable(String value) {
    StringBuilder s = new StringBuilder();
    value
        .codePoints()
        .forEach(
            c -> {
              if (Repofile.isControl(c)) {
                s.append(String.format("\\u%04x", c));
              } else {
                s.appendCodePoint(c);
              }
            });
    return s.toString();
  }
}

package io.watchsync.repo.metadata;

/** A path a package installs, with its metadata type: "" (a file), "dir" or "ghost". */
public record PackageFile(String path, String type) {
  public static final String FILE = "";
  public static final String DIR = "dir";
  public static final String GHOST = "ghost";

  /**
   * Whether primary.xml lists this path, by the rule every yum and dnf expects: anything under
   * /etc/, anything with "bin/" in it, and /usr/lib/sendmail.
   */
  public boolean inPrimary() {
    return isPrimaryPath(path);
  }

  public static boolean isPrimaryPath(String path) {
    return path.startsWith("/etc/") || path.contains("bin/") || path.equals("/usr/lib/sendmail");
  }
}

package io.watchsync.repo.build;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One file or directory of an RPM payload: where it is installed, where its content comes from
 * (null for a directory), its mode, owner and rpm file flags (%config, %doc, %license...).
 */
public record PayloadEntry(
    String path, Path source, int mode, int flags, String user, String group) {

  /** rpm file flags, as in rpm's header (RPMFILE_*). */
  public static final int CONFIG = 1;

  public static final int DOC = 1 << 1;
  public static final int NOREPLACE = 1 << 4;
  public static final int GHOST = 1 << 6;
  public static final int LICENSE = 1 << 7;

  public PayloadEntry {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
      throw new IllegalArgumentException("payload path must be absolute and normalised: " + path);
    }
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode of " + path + " out of range: " + mode);
    }
  }

  public static PayloadEntry file(String path, Path source, int mode, int flags) {
    return new PayloadEntry(
        path, Objects.requireNonNull(source, "source"), mode, flags, "root", "root");
  }

  public static PayloadEntry directory(String path, int mode) {
    return new PayloadEntry(path, null, mode, 0, "root", "root");
  }

  public boolean isDirectory() {
    return source == null;
  }
}

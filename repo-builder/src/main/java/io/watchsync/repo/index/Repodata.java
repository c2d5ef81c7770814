package io.watchsync.repo.index;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Facts about the repodata/ directory that its writers share. */
final class Repodata {
  /**
   * Metadata is public, as the packages are (a web server or another user serves them): files are
   * created rw-r--r--, not with the owner-only mode of a temporary file.
   */
  static final FileAttribute<Set<PosixFilePermission>> PUBLIC =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

  private Repodata() {}
}

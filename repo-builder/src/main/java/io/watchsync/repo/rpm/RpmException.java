package io.watchsync.repo.rpm;

import java.nio.file.Path;

/** A file that is not a usable RPM; the message names the file and the reason, on one line. */
public final class RpmException extends Exception {
  private final Path file;

  public RpmException(Path file, String reason) {
    super(file + ": " + reason);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}

package io.watchsync.repo.sign;

import java.nio.file.Path;

/**
 * A package whose signatures do not prove it comes unaltered from a trusted key: unsigned, signed
 * by another key, or changed after signing. The message names the file, the key id found (when
 * there is a signature) and the reason, on one line.
 */
public final class PackageRejectedException extends Exception {
  private final Path file;
  private final String keyId;
  private final String reason;

  PackageRejectedException(Path file, String keyId, String reason) {
    super(file + ": " + reason);
    this.file = file;
    this.keyId = keyId;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  /** The key id of the signature found (16 hex digits), or null for an unsigned package. */
  public String keyId() {
    return keyId;
  }

  /** The message without the file name. */
  public String reason() {
    return reason;
  }
}

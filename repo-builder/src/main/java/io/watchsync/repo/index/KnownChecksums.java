package io.watchsync.repo.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Checksums of package files that are known without reading them, because they were verified as
 * they were written (a mirror checks every download against its upstream checksum and its own
 * digests). The indexer then reads only such a file's header, not its whole content.
 */
@FunctionalInterface
public interface KnownChecksums {
  /** Nothing is known: every package is read whole. */
  KnownChecksums NONE = (href, file, type) -> null;

  /**
   * The checksum of {@code file} (at {@code href} in the repository) of {@code type}, when it is
   * known for the file as it is now; null otherwise.
   */
  String checksum(String href, Path file, ChecksumType type) throws IOException;
}

package io.watchsync.repo.index;

import java.util.List;

/**
 * How {@link RepoIndexer} indexes a directory.
 *
 * @param update reuse the metadata of packages whose size and modification time did not change
 * @param workers how many packages are read at once
 * @param compression of the metadata files
 * @param checksum of the packages and of the metadata files
 * @param baseUrl written as each package's {@code xml:base}; null for none
 * @param changelogLimit newest changelog entries kept per package; negative keeps all
 * @param excludes globs: a package whose file name or path in the repository matches one is left
 *     out
 */
public record IndexOptions(
    boolean update,
    int workers,
    Compression compression,
    ChecksumType checksum,
    String baseUrl,
    int changelogLimit,
    List<String> excludes) {

  public static final int DEFAULT_CHANGELOG_LIMIT = 10;

  /** createrepo_c's defaults: gz, sha256, 10 changelog entries, one worker per core. */
  public static IndexOptions defaults() {
    return new IndexOptions(
        false,
        Runtime.getRuntime().availableProcessors(),
        Compression.GZ,
        ChecksumType.SHA256,
        null,
        DEFAULT_CHANGELOG_LIMIT,
        List.of());
  }

  public IndexOptions withUpdate(boolean value) {
    return new IndexOptions(
        value, workers, compression, checksum, baseUrl, changelogLimit, excludes);
  }
}

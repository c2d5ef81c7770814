package io.watchsync.repo.index;

import java.nio.file.Path;
import java.util.List;

/**
 * What an index run did.
 *
 * @param packages packages in the new metadata
 * @param read packages read from their files this run
 * @param reused packages whose metadata was carried over from the previous run (--update)
 * @param rejected one line per file left out, naming the file and the reason
 * @param unreadable one line per directory skipped because it could not be opened ("DIR: why"), as
 *     createrepo_c skips it with a warning
 * @param repomd the repomd.xml written
 */
public record IndexReport(
    int packages,
    int read,
    int reused,
    List<String> rejected,
    List<String> unreadable,
    Path repomd) {}

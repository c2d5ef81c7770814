package io.watchsync.repo.index;

import io.watchsync.repo.metadata.MetadataReader;
import io.watchsync.repo.metadata.PackageMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The metadata a previous run left in repodata/, for --update to reuse. */
final class PreviousMetadata {
  private final Map<String, PackageMetadata> byHref;

  private PreviousMetadata(Map<String, PackageMetadata> byHref) {
    this.byHref = byHref;
  }

  static PreviousMetadata none() {
    return new PreviousMetadata(Map.of());
  }

  /** Reads the metadata {@code repomd} points at, under the repository {@code root}. */
  static PreviousMetadata load(Path root, Repomd repomd) throws IOException {
    MetadataReader reader = new MetadataReader();
    Repomd.Record primary = repomd.record("primary");
    Repomd.Record filelists = repomd.record("filelists");
    Repomd.Record other = repomd.record("other");
    if (primary == null || filelists == null || other == null) {
      throw new IOException("repomd.xml lists no primary, filelists or other metadata");
    }
    try (InputStream in = open(root, primary)) {
      reader.readPrimary(in);
    }
    try (InputStream in = open(root, filelists)) {
      reader.readFilelists(in);
    }
    try (InputStream in = open(root, other)) {
      reader.readOther(in);
    }
    Map<String, PackageMetadata> byHref = new HashMap<>();
    for (PackageMetadata p : reader.packages()) {
      byHref.put(p.locationHref(), p);
    }
    return new PreviousMetadata(byHref);
  }

  static InputStream open(Path root, Repomd.Record record) throws IOException {
    Path file = root.resolve(record.location());
    Compression c = Compression.ofFileName(file.getFileName().toString());
    if (c == null) {
      throw new IOException(file + ": unknown compression");
    }
    return c.decompress(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /**
   * The previous metadata of the package at {@code href} when the file still has the size and
   * modification time it had and was hashed the same way; null otherwise.
   */
  PackageMetadata reusable(String href, long size, long mtime, ChecksumType checksum) {
    PackageMetadata p = byHref.get(href);
    if (p == null
        || p.sizePackage() != size
        || p.timeFile() != mtime
        || ChecksumType.parse(p.checksumType()) != checksum) {
      return null;
    }
    return p;
  }

  int size() {
    return byHref.size();
  }

  List<PackageMetadata> all() {
    return List.copyOf(byHref.values());
  }
}

package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.index.Compression;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Opens an upstream metadata file, decompressed as its name says: .gz, .xz, .zst, .bz2 or none. */
public final class MetadataStreams {
  private MetadataStreams() {}

  public static InputStream open(Path file) throws IOException {
    String name = file.getFileName().toString();
    InputStream raw = Files.newInputStream(file);
    try {
      if (name.endsWith(".bz2")) {
        return new BZip2CompressorInputStream(new BufferedInputStream(raw, 1 << 16), true);
      }
      Compression c = Compression.ofFileName(name);
      return (c == null ? Compression.NONE : c).decompress(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The open (decompressed) content of {@code file}, whole. */
  public static byte[] readAll(Path file) throws IOException {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    }
  }
}

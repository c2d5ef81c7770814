package io.watchsync.repo.index;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Writes one compressed metadata file under a temporary name, counting and hashing both the
 * compressed bytes and the open (uncompressed) ones, and renames it to {@code
 * <checksum>-<type>.xml<suffix>} once it is complete: what repomd.xml records.
 */
final class MetadataFileWriter implements AutoCloseable {
  private final String type;
  private final Path dir;
  private final Path temp;
  private final Compression compression;
  private final MessageDigest compressedDigest;
  private final MessageDigest openDigest;
  private final Counting compressedCount;
  private final Counting openCount;
  private final OutputStream out;
  private RepomdRecord record;

  /** The finished file as repomd.xml records it. */
  record RepomdRecord(
      String type,
      String fileName,
      String checksum,
      String openChecksum,
      long size,
      long openSize,
      long timestamp) {}

  MetadataFileWriter(Path dir, String type, Compression compression, ChecksumType checksum)
      throws IOException {
    this.type = type;
    this.dir = dir;
    this.compression = compression;
    this.temp = Files.createTempFile(dir, "." + type + "-", ".tmp", Repodata.PUBLIC);
    this.compressedDigest = checksum.newDigest();
    this.openDigest = checksum.newDigest();
    this.compressedCount =
        new Counting(
            new DigestOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16),
                compressedDigest));
    OutputStream compressed = compression.compress(compressedCount);
    this.openCount = new Counting(new DigestOutputStream(compressed, openDigest));
    this.out = new java.io.BufferedOutputStream(openCount, 1 << 16);
  }

  void write(String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  /** Finishes the file and gives it its final name; returns what repomd.xml needs. */
  RepomdRecord finish() throws IOException {
    out.close();
    HexFormat hex = HexFormat.of();
    String checksum = hex.formatHex(compressedDigest.digest());
    String fileName = checksum + "-" + type + ".xml" + compression.suffix();
    Path target = dir.resolve(fileName);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    record =
        new RepomdRecord(
            type,
            fileName,
            checksum,
            hex.formatHex(openDigest.digest()),
            compressedCount.count,
            openCount.count,
            Files.getLastModifiedTime(target).toMillis() / 1000);
    return record;
  }

  /** Removes the temporary file of an unfinished write. */
  @Override
  public void close() throws IOException {
    if (record == null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the write already failed; the temporary file goes either way
      }
      Files.deleteIfExists(temp);
    }
  }

  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}

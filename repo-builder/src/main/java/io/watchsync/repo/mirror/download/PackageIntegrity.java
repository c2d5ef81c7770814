package io.watchsync.repo.mirror.download;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Checks a package file in one pass: the checksum upstream metadata gives, and the RPM's own header
 * and payload digests (so a file whose metadata is wrong as well is still caught). The pass can be
 * the download itself ({@link #check}), so a fetched package is never read back to be verified.
 */
final class PackageIntegrity {
  private PackageIntegrity() {}

  /**
   * The verdict on one package file.
   *
   * @param rpm the package as read, when it is intact; null otherwise
   * @param problem why it is not {@code pkg} intact, or null
   */
  record Verdict(RpmFile rpm, String problem) {}

  /** Null when {@code file} is {@code pkg} intact; otherwise why not. */
  static String problem(Pkg pkg, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return check(pkg, in, file).problem();
    } catch (IOException e) {
      return "cannot read: " + e.getMessage();
    }
  }

  /**
   * Reads {@code content}, the whole of {@code file} as it arrives, to its end and judges it.
   *
   * @throws IOException when {@code content} itself fails: a dropped connection says nothing about
   *     the package
   */
  static Verdict check(Pkg pkg, InputStream content, Path file) throws IOException {
    MessageDigest digest = UpstreamRepo.digestOf(pkg.checksumType());
    if (digest == null) {
      return new Verdict(null, "unknown checksum type " + pkg.checksumType());
    }
    Counted counted = new Counted(content);
    RpmFile rpm = null;
    String problem = null;
    try {
      rpm = RpmFile.read(file, counted, digest);
    } catch (RpmException e) {
      String prefix = e.file() + ": ";
      String m = e.getMessage();
      problem = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    } catch (IllegalArgumentException e) {
      problem = "corrupt header: " + e.getMessage();
    }
    if (problem != null) {
      // The rest of a bad file, to count it: a wrong size is told first, as the cause of the rest.
      counted.transferTo(OutputStream.nullOutputStream());
    }
    if (pkg.size() > 0 && counted.count != pkg.size()) {
      return new Verdict(null, "size " + counted.count + ", upstream says " + pkg.size());
    }
    if (problem != null) {
      return new Verdict(null, problem);
    }
    String actual = Digests.hex(digest);
    if (!actual.equalsIgnoreCase(pkg.checksum())) {
      return new Verdict(
          null,
          "checksum mismatch: "
              + pkg.checksumType()
              + " "
              + actual
              + ", upstream says "
              + pkg.checksum());
    }
    return new Verdict(rpm, null);
  }

  /** Counts the bytes read through it. */
  private static final class Counted extends FilterInputStream {
    long count;

    Counted(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count += skipped;
      return skipped;
    }
  }
}

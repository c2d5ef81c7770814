package io.watchsync.repo.mirror.download;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Checks a package file in one pass: the checksum upstream metadata gives, and the RPM's own header
 * and payload digests (so a file whose metadata is wrong as well is still caught).
 */
final class PackageIntegrity {
  private PackageIntegrity() {}

  /** Null when {@code file} is {@code pkg} intact; otherwise why not. */
  static String problem(Pkg pkg, Path file) {
    try {
      if (pkg.size() > 0 && Files.size(file) != pkg.size()) {
        return "size " + Files.size(file) + ", upstream says " + pkg.size();
      }
      MessageDigest digest = UpstreamRepo.digestOf(pkg.checksumType());
      if (digest == null) {
        return "unknown checksum type " + pkg.checksumType();
      }
      RpmFile.read(file, digest);
      String actual = Digests.hex(digest);
      return actual.equalsIgnoreCase(pkg.checksum())
          ? null
          : "checksum mismatch: "
              + pkg.checksumType()
              + " "
              + actual
              + ", upstream says "
              + pkg.checksum();
    } catch (RpmException e) {
      String prefix = e.file() + ": ";
      String m = e.getMessage();
      return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    } catch (java.io.IOException e) {
      return "cannot read: " + e.getMessage();
    } catch (IllegalArgumentException e) {
      return "corrupt header: " + e.getMessage();
    }
  }
}

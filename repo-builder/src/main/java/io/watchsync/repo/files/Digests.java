package io.watchsync.repo.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where message digests are made, for collect, index and the RPM reader alike. The algorithms
 * repo-builder uses (SHA-256, SHA-512, SHA-1, MD5) ship with every Java runtime, so a missing one
 * is a broken runtime, not a failure for callers to handle.
 */
public final class Digests {
  private Digests() {}

  /** A new digest of {@code algorithm}, by its Java name ("SHA-256", "SHA-1", "MD5", …). */
  public static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
    }
  }

  /** SHA-256: what tells packages apart and verifies their payloads. */
  public static MessageDigest sha256() {
    return newDigest("SHA-256");
  }

  /** The digest's value in lower-case hex (which resets the digest). */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }
}

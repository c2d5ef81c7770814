package io.watchsync.repo.index;

import io.watchsync.repo.files.Digests;
import java.security.MessageDigest;

/** The checksums repository metadata can name (createrepo_c's --checksum). */
public enum ChecksumType {
  SHA256("sha256", "SHA-256"),
  SHA512("sha512", "SHA-512"),
  SHA1("sha1", "SHA-1");

  private final String metadataName;
  private final String algorithm;

  ChecksumType(String metadataName, String algorithm) {
    this.metadataName = metadataName;
    this.algorithm = algorithm;
  }

  /** As the metadata writes it: sha256, sha512, sha1. */
  public String metadataName() {
    return metadataName;
  }

  public MessageDigest newDigest() {
    return Digests.newDigest(algorithm);
  }

  /** sha256, sha512 or sha1 (also "sha" for sha1, as yum spells it); null for anything else. */
  public static ChecksumType parse(String name) {
    for (ChecksumType t : values()) {
      if (t.metadataName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    return "sha".equalsIgnoreCase(name) ? SHA1 : null;
  }

  @Override
  public String toString() {
    return metadataName;
  }
}

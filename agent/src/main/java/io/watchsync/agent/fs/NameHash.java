package io.watchsync.agent.fs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short hex digest of a key, for names in the state directory that must differ when the key
 * differs (a source and a target URL, say) and stay the same while it does not.
 */
public final class NameHash {
  private NameHash() {}

  /** The first {@code hexChars} hex digits of the SHA-256 of {@code key} (UTF-8). */
  public static String of(String key, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}

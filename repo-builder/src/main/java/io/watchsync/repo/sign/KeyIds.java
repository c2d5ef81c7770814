package io.watchsync.repo.sign;

import java.util.Locale;

/**
 * How a key is named in messages: its 64-bit key id as 16 hex digits, as {@code gpg --keyid-format
 * long} shows it. rpm shows the last 8 of them ({@code key ID 03d69b21}).
 */
public final class KeyIds {
  private KeyIds() {}

  public static String format(long keyId) {
    return String.format(Locale.ROOT, "%016x", keyId);
  }
}

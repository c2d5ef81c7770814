package io.watchsync.repo.metadata;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of an RPM header string into text that XML can carry, with createrepo_c's rule so
 * that both tools describe a package alike: valid UTF-8 stays as it is; anything else is read as
 * ISO-8859-1, dropping the C1 range (0x80-0xBF, most likely misread CP-1252). Control characters
 * other than tab, newline and carriage return are dropped in both cases: XML 1.0 cannot carry them
 * (createrepo_c refuses such a package instead).
 */
public final class HeaderText {
  private HeaderText() {}

  /**
   * {@code raw} holds the header's bytes one per char (ISO-8859-1), as {@code Header} gives them.
   */
  public static String clean(String raw) {
    if (raw == null) {
      return null;
    }
    if (isPlainAscii(raw)) {
      return raw; // by far the most common case: one pass over the bytes, no copy kept
    }
    if (isAscii(raw)) {
      return dropControl(raw);
    }
    byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
    try {
      String utf8 =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return hasControl(utf8) ? dropControl(utf8) : utf8;
    } catch (CharacterCodingException notUtf8) {
      StringBuilder out = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c < 0x80 ? !isControl(c) : c >= 0xc0) {
          out.append(c);
        }
      }
      return out.toString();
    }
  }

  /** ASCII with no control character other than tab, newline and carriage return. */
  private static boolean isPlainAscii(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    for (byte c : b) {
      if (c < 0x20 && (c < 0 || (c != '\t' && c != '\n' && c != '\r'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean isControl(char c) {
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String dropControl(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (!isControl(s.charAt(i))) {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }
}

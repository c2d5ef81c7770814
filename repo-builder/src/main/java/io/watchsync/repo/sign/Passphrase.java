package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A passphrase read from a file, never from the command line (where every user of the machine can
 * read it in /proc). The file holds the passphrase on its first line; a final newline is not part
 * of it.
 */
public final class Passphrase {
  private Passphrase() {}

  /** The passphrase in {@code file}; null when {@code file} is null (no passphrase). */
  public static char[] read(Path file) throws SigningException {
    if (file == null) {
      return null;
    }
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (IOException e) {
      throw SigningException.config(
          "--passphrase-file " + file + ": cannot read: " + IoErrors.reason(e));
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).asReadOnlyBuffer();
      int end = 0;
      while (end < chars.length() && chars.charAt(end) != '\n' && chars.charAt(end) != '\r') {
        end++;
      }
      if (end == 0) {
        throw SigningException.config("--passphrase-file " + file + ": the first line is empty");
      }
      char[] out = new char[end];
      chars.get(out, 0, end);
      return out;
    } catch (CharacterCodingException e) {
      throw SigningException.config("--passphrase-file " + file + ": not UTF-8 text");
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }
}

package io.watchsync.agent.transport;

import java.io.ByteArrayOutputStream;

/** Quotes raw bytes as one POSIX shell word: inside single quotes every byte but ' is literal. */
final class ShellQuote {
  private ShellQuote() {}

  /** Appends {@code raw} to {@code out} as {@code 'raw'}, each ' written as {@code '\''}. */
  static void quote(ByteArrayOutputStream out, byte[] raw) {
    out.write('\'');
    for (byte b : raw) {
      if (b == '\'') {
        out.write('\'');
        out.write('\\');
        out.write('\'');
        out.write('\'');
      } else {
        out.write(b);
      }
    }
    out.write('\'');
  }
}

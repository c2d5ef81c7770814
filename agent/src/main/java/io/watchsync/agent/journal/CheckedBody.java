package io.watchsync.agent.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The checked end of a journal record, {@code [length][crc32][body]}, which follows the record's op
 * byte (and whatever else a journal puts between the two). The CRC covers the op and the body, so a
 * record torn by a crash or damaged on disk is recognised, and the log is read only up to it.
 */
public final class CheckedBody {
  /** The bytes of {@code [length][crc32]}. */
  public static final int HEADER = Integer.BYTES + Integer.BYTES;

  private CheckedBody() {}

  /** Writes {@code [length][crc32][body]} for a record whose op is {@code op}. */
  public static void put(ByteBuffer out, byte op, byte[] body) {
    out.putInt(body.length).putInt(crc(op, body)).put(body);
  }

  /**
   * Reads {@code [length][crc32][body]} of a record whose op is {@code op}; null when the rest of
   * {@code in} does not hold it whole or its CRC does not match: the torn or damaged tail of a log.
   */
  public static byte[] get(ByteBuffer in, byte op) {
    if (in.remaining() < HEADER) {
      return null;
    }
    int length = in.getInt();
    int crc = in.getInt();
    if (length < 0 || length > in.remaining()) {
      return null;
    }
    byte[] body = new byte[length];
    in.get(body);
    return crc(op, body) == crc ? body : null;
  }

  private static int crc(byte op, byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(op);
    crc.update(body);
    return (int) crc.getValue();
  }
}

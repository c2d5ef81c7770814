package io.watchsync.repo.rpm;

/** One header entry as stored: its tag, type, count and the bytes of its value. */
public record HeaderEntry(int tag, int type, int count, byte[] data) {
  /** A BIN entry, such as a signature. */
  public static HeaderEntry binary(int tag, byte[] data) {
    return new HeaderEntry(tag, Header.BIN, data.length, data.clone());
  }
}

package io.watchsync.repo.rpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One RPM header structure (the signature or the main header): an index of tagged entries over a
 * data store. Values are decoded on request. Strings are returned as ISO-8859-1 so that every byte
 * survives; {@link #utf8(int)} re-decodes them where the text is meant to be UTF-8.
 */
public final class Header {
  static final int MAGIC = 0x8eade801;
  static final int CHAR = 1;
  static final int INT8 = 2;
  static final int INT16 = 3;
  static final int INT32 = 4;
  static final int INT64 = 5;
  static final int STRING = 6;
  static final int BIN = 7;
  static final int STRING_ARRAY = 8;
  static final int I18NSTRING = 9;

  private record Entry(int type, int offset, int count) {}

  private final Map<Integer, Entry> entries;
  private final ByteBuffer store;

  private Header(Map<Integer, Entry> entries, ByteBuffer store) {
    this.entries = entries;
    this.store = store;
  }

  /**
   * Parses a header from {@code bytes} (magic, index, store) and checks that every entry lies
   * inside the store.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static Header parse(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.getInt(0) != MAGIC) {
      throw new IllegalArgumentException("bad header magic");
    }
    int count = b.getInt(8);
    int size = b.getInt(12);
    int storeStart = 16 + 16 * count;
    if (count < 0 || size < 0 || storeStart + (long) size > bytes.length) {
      throw new IllegalArgumentException("header index or store out of bounds");
    }
    Map<Integer, Entry> entries = new HashMap<>();
    for (int i = 0; i < count; i++) {
      int at = 16 + 16 * i;
      int tag = b.getInt(at);
      int type = b.getInt(at + 4);
      int offset = b.getInt(at + 8);
      int n = b.getInt(at + 12);
      if (offset < 0 || offset > size || n < 0) {
        throw new IllegalArgumentException("entry for tag " + tag + " points outside the store");
      }
      entries.put(tag, new Entry(type, offset, n));
    }
    ByteBuffer store = ByteBuffer.wrap(bytes, storeStart, size).slice();
    return new Header(entries, store);
  }

  /**
   * Every entry with the bytes of its value, in index order: what a rewrite of the header needs.
   *
   * @throws IllegalArgumentException when a value runs past the store
   */
  public List<HeaderEntry> entries() {
    List<HeaderEntry> out = new ArrayList<>(entries.size());
    entries.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              Entry entry = e.getValue();
              byte[] data = new byte[valueLength(e.getKey(), entry)];
              store.get(entry.offset, data);
              out.add(new HeaderEntry(e.getKey(), entry.type, entry.count, data));
            });
    return out;
  }

  private int valueLength(int tag, Entry e) {
    long length =
        switch (e.type) {
          case CHAR, INT8, BIN -> e.count;
          case INT16 -> 2L * e.count;
          case INT32 -> 4L * e.count;
          case INT64 -> 8L * e.count;
          case STRING, STRING_ARRAY, I18NSTRING -> {
            int n = e.type == STRING ? 1 : e.count;
            int pos = e.offset;
            for (int i = 0; i < n; i++) {
              while (pos < store.limit() && store.get(pos) != 0) {
                pos++;
              }
              pos++;
            }
            yield pos - e.offset;
          }
          default ->
              throw new IllegalArgumentException("tag " + tag + " has unknown type " + e.type);
        };
    if (e.offset + length > store.limit()) {
      throw new IllegalArgumentException("value of tag " + tag + " runs past the store");
    }
    return (int) length;
  }

  /** Bytes a header of {@code count} entries and {@code size} store bytes takes. */
  static long length(int count, int size) {
    return 16L + 16L * count + size;
  }

  public boolean has(int tag) {
    return entries.containsKey(tag);
  }

  /** The first string of a STRING, I18NSTRING or STRING_ARRAY entry; null when absent. */
  public String string(int tag) {
    List<String> all = strings(tag);
    return all.isEmpty() ? null : all.get(0);
  }

  /** The same, decoded as UTF-8 when valid, as ISO-8859-1 otherwise. */
  public String utf8(int tag) {
    String s = string(tag);
    if (s == null) {
      return null;
    }
    byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return s;
    }
  }

  /** Every string of an entry (one for STRING and I18NSTRING); empty when absent. */
  public List<String> strings(int tag) {
    Entry e = entries.get(tag);
    if (e == null) {
      return List.of();
    }
    if (e.type != STRING && e.type != STRING_ARRAY && e.type != I18NSTRING) {
      throw new IllegalArgumentException("tag " + tag + " is not a string");
    }
    int n = e.type == STRING ? 1 : e.count;
    List<String> out = new ArrayList<>(n);
    int pos = e.offset;
    for (int i = 0; i < n; i++) {
      int end = pos;
      while (end < store.limit() && store.get(end) != 0) {
        end++;
      }
      if (end >= store.limit()) {
        throw new IllegalArgumentException("string of tag " + tag + " runs past the store");
      }
      byte[] raw = new byte[end - pos];
      store.get(pos, raw);
      out.add(new String(raw, StandardCharsets.ISO_8859_1));
      pos = end + 1;
    }
    return out;
  }

  /** The integers of an INT8/16/32/64 (or CHAR) entry, unsigned for the narrow types. */
  public long[] ints(int tag) {
    Entry e = entries.get(tag);
    if (e == null) {
      return new long[0];
    }
    int width =
        switch (e.type) {
          case CHAR, INT8 -> 1;
          case INT16 -> 2;
          case INT32 -> 4;
          case INT64 -> 8;
          default -> throw new IllegalArgumentException("tag " + tag + " is not a number");
        };
    if (e.offset + (long) width * e.count > store.limit()) {
      throw new IllegalArgumentException("numbers of tag " + tag + " run past the store");
    }
    long[] out = new long[e.count];
    for (int i = 0; i < e.count; i++) {
      int at = e.offset + width * i;
      out[i] =
          switch (width) {
            case 1 -> Byte.toUnsignedLong(store.get(at));
            case 2 -> Short.toUnsignedLong(store.getShort(at));
            case 4 -> Integer.toUnsignedLong(store.getInt(at));
            default -> store.getLong(at);
          };
    }
    return out;
  }

  /** The first integer of an entry, or {@code fallback} when absent. */
  public long number(int tag, long fallback) {
    long[] v = ints(tag);
    return v.length == 0 ? fallback : v[0];
  }

  /** The bytes of a BIN entry; null when absent. */
  public byte[] bin(int tag) {
    Entry e = entries.get(tag);
    if (e == null) {
      return null;
    }
    if (e.type != BIN || e.offset + (long) e.count > store.limit()) {
      throw new IllegalArgumentException("tag " + tag + " is not binary data inside the store");
    }
    byte[] out = new byte[e.count];
    store.get(e.offset, out);
    return out;
  }
}

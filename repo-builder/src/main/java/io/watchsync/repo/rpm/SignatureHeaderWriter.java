package io.watchsync.repo.rpm;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a signature header as rpm lays one out: the region entry first, then the entries in tag
 * order, their values in the same order (numbers aligned to their width) and the region trailer at
 * the end of the store. rpm refuses a header whose values overlap or are out of order.
 */
public final class SignatureHeaderWriter {
  private static final int REGION_TRAILER = 16;

  private SignatureHeaderWriter() {}

  /** The header bytes (without the padding that follows it in a file). */
  public static byte[] write(List<HeaderEntry> entries) {
    List<HeaderEntry> sorted = new ArrayList<>(entries);
    sorted.removeIf(e -> e.tag() == RpmTags.SIG_REGION);
    sorted.sort(Comparator.comparingInt(HeaderEntry::tag));
    int[] offsets = new int[sorted.size()];
    int size = 0;
    for (int i = 0; i < sorted.size(); i++) {
      HeaderEntry e = sorted.get(i);
      int align = alignment(e.type());
      size = (size + align - 1) / align * align;
      offsets[i] = size;
      size += e.data().length;
    }
    int regionOffset = size;
    size += REGION_TRAILER;
    int count = sorted.size() + 1;
    ByteBuffer b = ByteBuffer.allocate((int) Header.length(count, size));
    b.putInt(Header.MAGIC).putInt(0).putInt(count).putInt(size);
    b.putInt(RpmTags.SIG_REGION).putInt(Header.BIN).putInt(regionOffset).putInt(REGION_TRAILER);
    for (int i = 0; i < sorted.size(); i++) {
      HeaderEntry e = sorted.get(i);
      b.putInt(e.tag()).putInt(e.type()).putInt(offsets[i]).putInt(e.count());
    }
    int storeStart = b.position();
    for (int i = 0; i < sorted.size(); i++) {
      b.put(storeStart + offsets[i], sorted.get(i).data());
    }
    b.position(storeStart + regionOffset);
    b.putInt(RpmTags.SIG_REGION).putInt(Header.BIN).putInt(-count * 16).putInt(REGION_TRAILER);
    return b.array();
  }

  private static int alignment(int type) {
    return switch (type) {
      case Header.INT16 -> 2;
      case Header.INT32 -> 4;
      case Header.INT64 -> 8;
      default -> 1;
    };
  }
}

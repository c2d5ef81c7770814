package io.watchsync.repo.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits an open metadata document (primary, filelists or other) into its {@code <package>}
 * elements as it streams by, copying every byte to a spill file on the way. Only the element being
 * read is held in memory, so a document of any size costs a buffer of about one element.
 */
final class PackageElements {
  /** Told of each element: where it starts in the document, and its bytes (with its newline). */
  interface Listener {
    void element(long offset, byte[] bytes, int from, int length) throws IOException;
  }

  private static final byte[] OPEN = "<package".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CLOSE = "</package>".getBytes(StandardCharsets.US_ASCII);

  private PackageElements() {}

  /**
   * Reads {@code in} to its end, writes it to {@code spill} unchanged and calls {@code listener}
   * once per element, in document order. Returns the document's first bytes (up to 512), where its
   * root element says how many packages it holds.
   */
  static byte[] split(InputStream in, OutputStream spill, Listener listener) throws IOException {
    byte[] buf = new byte[1 << 18];
    int len = 0; // bytes in buf
    long base = 0; // document offset of buf[0]
    int at = 0; // where the next search starts
    int start = -1; // start of the element being read, -1 between elements
    byte[] head = null;
    boolean eof = false;
    while (!eof) {
      if (len == buf.length) {
        int keep = start >= 0 ? start : Math.max(0, len - OPEN.length);
        if (keep == 0) {
          buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one element larger than buf
        } else {
          System.arraycopy(buf, keep, buf, 0, len - keep);
          len -= keep;
          base += keep;
          at -= keep;
          if (start >= 0) {
            start -= keep;
          }
        }
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        eof = true;
      } else {
        spill.write(buf, len, n);
        len += n;
        if (head == null && len >= 512) {
          head = java.util.Arrays.copyOf(buf, 512);
        }
      }
      while (true) {
        if (start < 0) {
          int s = indexOf(buf, len, OPEN, at);
          if (s < 0) {
            at = Math.max(at, len - OPEN.length + 1);
            break;
          }
          start = s;
          at = s + OPEN.length;
        }
        int c = indexOf(buf, len, CLOSE, at);
        if (c < 0) {
          at = Math.max(at, len - CLOSE.length + 1);
          break;
        }
        int end = c + CLOSE.length;
        if (end == len && !eof) {
          at = c; // its newline, if any, comes with the next read
          break;
        }
        if (end < len && buf[end] == '\n') {
          end++;
        }
        listener.element(base + start, buf, start, end - start);
        start = -1;
        at = end;
      }
    }
    if (start >= 0) {
      throw new IOException("a <package> element is not closed");
    }
    return head != null ? head : java.util.Arrays.copyOf(buf, Math.min(len, 512));
  }

  private static int indexOf(byte[] doc, int length, byte[] what, int from) {
    byte first = what[0];
    int last = length - what.length;
    for (int i = Math.max(0, from); i <= last; i++) {
      if (doc[i] != first) {
        continue;
      }
      int k = 1;
      while (k < what.length && doc[i + k] == what[k]) {
        k++;
      }
      if (k == what.length) {
        return i;
      }
    }
    return -1;
  }
}

package io.watchsync.agent.fs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A path relative to the watched root, held as the raw bytes the kernel gives us.
 *
 * <p>Linux file names are byte strings; Java's {@code Path} cannot carry names that are not valid
 * in the JVM's file name encoding. Keeping bytes end to end (inotify → queue → rsync's
 * NUL-separated file list) means no name is ever mangled. The root itself is the empty path.
 * Components are separated by a single {@code '/'}; there is never a leading or trailing slash.
 */
public final class RelPath implements Comparable<RelPath> {
  public static final RelPath ROOT = new RelPath(new byte[0]);

  private final byte[] bytes;
  private int hash;

  private RelPath(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Parses a relative path; rejects absolute paths, empty components, "." and "..". */
  public static RelPath of(byte[] bytes) {
    if (bytes.length == 0) {
      return ROOT;
    }
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '/') {
        checkComponent(bytes, start, i);
        start = i + 1;
      } else if (bytes[i] == 0) {
        throw new IllegalArgumentException("NUL byte in path");
      }
    }
    return new RelPath(bytes.clone());
  }

  /** Parses a UTF-8 relative path such as {@code "a/b/c.txt"}. */
  public static RelPath of(String path) {
    return of(path.getBytes(StandardCharsets.UTF_8));
  }

  private static void checkComponent(byte[] b, int from, int to) {
    int len = to - from;
    boolean dot = len == 1 && b[from] == '.';
    boolean dotdot = len == 2 && b[from] == '.' && b[from + 1] == '.';
    if (len == 0 || dot || dotdot) {
      throw new IllegalArgumentException("not a normalized relative path: " + display(b));
    }
  }

  /** The child of this path named {@code name} (one component, raw bytes). */
  public RelPath resolve(byte[] name) {
    if (name.length == 0) {
      throw new IllegalArgumentException("empty name");
    }
    for (byte c : name) {
      if (c == '/' || c == 0) {
        throw new IllegalArgumentException("not a single file name: " + display(name));
      }
    }
    checkComponent(name, 0, name.length);
    if (isRoot()) {
      return new RelPath(name.clone());
    }
    byte[] joined = Arrays.copyOf(bytes, bytes.length + 1 + name.length);
    joined[bytes.length] = '/';
    System.arraycopy(name, 0, joined, bytes.length + 1, name.length);
    return new RelPath(joined);
  }

  /** The child of this path named {@code name} (one UTF-8 component). */
  public RelPath resolve(String name) {
    return resolve(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends a relative path below this one. */
  public RelPath resolve(RelPath other) {
    if (other.isRoot()) {
      return this;
    }
    if (isRoot()) {
      return other;
    }
    byte[] joined = Arrays.copyOf(bytes, bytes.length + 1 + other.bytes.length);
    joined[bytes.length] = '/';
    System.arraycopy(other.bytes, 0, joined, bytes.length + 1, other.bytes.length);
    return new RelPath(joined);
  }

  public boolean isRoot() {
    return bytes.length == 0;
  }

  /** The parent, or {@code null} for the root. A top-level name's parent is {@link #ROOT}. */
  public RelPath parent() {
    if (isRoot()) {
      return null;
    }
    int slash = lastSlash();
    return slash < 0 ? ROOT : new RelPath(Arrays.copyOf(bytes, slash));
  }

  /** The last component's bytes (empty for the root). */
  public byte[] name() {
    return Arrays.copyOfRange(bytes, lastSlash() + 1, bytes.length);
  }

  private int lastSlash() {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '/') {
        return i;
      }
    }
    return -1;
  }

  /** Number of components; 0 for the root. */
  public int depth() {
    if (isRoot()) {
      return 0;
    }
    int n = 1;
    for (byte b : bytes) {
      if (b == '/') {
        n++;
      }
    }
    return n;
  }

  /** True when {@code ancestor} is this path or one of its ancestors (component-wise). */
  public boolean startsWith(RelPath ancestor) {
    if (ancestor.isRoot()) {
      return true;
    }
    int n = ancestor.bytes.length;
    if (n > bytes.length || !Arrays.equals(bytes, 0, n, ancestor.bytes, 0, n)) {
      return false;
    }
    return n == bytes.length || bytes[n] == '/';
  }

  /** Replaces the prefix {@code from} by {@code to}; this path must start with {@code from}. */
  public RelPath rebase(RelPath from, RelPath to) {
    if (!startsWith(from)) {
      throw new IllegalArgumentException(this + " is not below " + from);
    }
    if (from.isRoot()) {
      return to.resolve(this);
    }
    if (bytes.length == from.bytes.length) {
      return to;
    }
    byte[] rest = Arrays.copyOfRange(bytes, from.bytes.length + 1, bytes.length);
    return to.resolve(new RelPath(rest));
  }

  /** The raw bytes, a copy. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Length of the raw byte form. */
  public int length() {
    return bytes.length;
  }

  /** Writes the raw bytes to {@code out} without copying. */
  public void writeTo(ByteArrayOutputStream out) {
    out.write(bytes, 0, bytes.length);
  }

  /** Writes the raw bytes to {@code out} without copying. */
  public void writeTo(ByteBuffer out) {
    out.put(bytes);
  }

  /** {@code root + "/" + this} as bytes, NUL-terminated, for native calls. */
  public byte[] toNative(byte[] root) {
    int extra = isRoot() ? 0 : 1 + bytes.length;
    byte[] out = Arrays.copyOf(root, root.length + extra + 1);
    if (!isRoot()) {
      out[root.length] = '/';
      System.arraycopy(bytes, 0, out, root.length + 1, bytes.length);
    }
    return out;
  }

  /** True when the bytes are valid UTF-8, so {@link #toString()} is exact. */
  public boolean isUtf8() {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** A readable form: UTF-8, with invalid bytes and control characters shown as {@code \xNN}. */
  @Override
  public String toString() {
    return isRoot() ? "." : display(bytes);
  }

  /** Renders raw name bytes for logs and messages. */
  public static String display(byte[] raw) {
    StringBuilder out = new StringBuilder(raw.length);
    int i = 0;
    while (i < raw.length) {
      int b = raw[i] & 0xff;
      int len = b < 0x80 ? 1 : b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
      if (len > 1 && i + len <= raw.length && continuation(raw, i + 1, i + len)) {
        out.append(new String(raw, i, len, StandardCharsets.UTF_8));
        i += len;
      } else if (len == 1 && b >= 0x20 && b != 0x7f && b != '\\') {
        out.append((char) b);
        i++;
      } else {
        out.append(String.format("\\x%02x", b));
        i++;
      }
    }
    return out.toString();
  }

  private static boolean continuation(byte[] raw, int from, int to) {
    for (int i = from; i < to; i++) {
      if ((raw[i] & 0xc0) != 0x80) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelPath other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  /** Byte-wise order, so a parent always sorts before its children. */
  @Override
  public int compareTo(RelPath o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}

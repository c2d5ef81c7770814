package io.watchsync.agent.fs;

import io.watchsync.agent.posix.Errno;
import io.watchsync.agent.posix.LibC;
import io.watchsync.agent.posix.NativeCallException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Lists directories with {@code readdir}, on raw bytes: Java's own listing cannot round-trip names
 * that are not valid in the platform charset, and the agent must replicate every name. Symlinks are
 * never followed.
 */
public final class DirectoryLister {
  private static final LibC C = LibC.INSTANCE;
  private static final Charset NATIVE = Charset.forName(System.getProperty("sun.jnu.encoding"));

  // struct dirent (64-bit glibc): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name
  private static final int D_RECLEN = 16;
  private static final int D_TYPE = 18;
  private static final int D_NAME = 19;
  private static final int DT_UNKNOWN = 0;
  private static final int DT_DIR = 4;
  private static final int DT_REG = 8;
  private static final int DT_LNK = 10;

  private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
  private static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
  private static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_PATH = 010000000;

  /** What a directory entry is. */
  public enum Type {
    DIRECTORY,
    FILE,
    SYMLINK,
    OTHER
  }

  /** One directory entry: its name as raw bytes and its type. */
  public record Entry(byte[] name, Type type) {
    public boolean isDirectory() {
      return type == Type.DIRECTORY;
    }
  }

  private DirectoryLister() {}

  /** The bytes the kernel sees for {@code path} (absolute). */
  public static byte[] nativeBytes(Path path) {
    return path.toAbsolutePath().normalize().toString().getBytes(NATIVE);
  }

  /** Joins a directory and a name into an absolute native path (not NUL-terminated). */
  public static byte[] join(byte[] dir, byte[] name) {
    if (name.length == 0) {
      return dir;
    }
    byte[] out = Arrays.copyOf(dir, dir.length + 1 + name.length);
    out[dir.length] = '/';
    System.arraycopy(name, 0, out, dir.length + 1, name.length);
    return out;
  }

  /**
   * Lists {@code dir} (absolute, raw bytes), without "." and "..".
   *
   * @throws NativeCallException when the directory cannot be opened or read (ENOENT when it
   *     vanished)
   */
  public static List<Entry> list(byte[] dir) throws NativeCallException {
    return listTerminated(terminated(dir));
  }

  /**
   * As {@link #list(byte[])}, for a path that already ends with a NUL byte (as {@link
   * RelPath#toNative} makes it): one copy fewer per directory, which counts on a tree of millions.
   */
  public static List<Entry> listTerminated(byte[] cpath) throws NativeCallException {
    Pointer d = C.opendir(cpath);
    if (d == null) {
      throw new NativeCallException("opendir", RelPath.display(unterminated(cpath)), Errno.last());
    }
    List<Entry> entries = new ArrayList<>();
    try {
      while (true) {
        Pointer e = C.readdir(d);
        if (e == null) {
          break;
        }
        int reclen = Short.toUnsignedInt(e.getShort(D_RECLEN));
        int type = Byte.toUnsignedInt(e.getByte(D_TYPE));
        int max = Math.max(0, reclen - D_NAME);
        int len = 0;
        while (len < max && e.getByte(D_NAME + len) != 0) {
          len++;
        }
        byte[] name = new byte[len];
        e.get(D_NAME, name, 0, len);
        if (isDotOrDotDot(name)) {
          continue;
        }
        entries.add(new Entry(name, type(type, cpath, name)));
      }
    } finally {
      C.closedir(d);
    }
    return entries;
  }

  private static boolean isDotOrDotDot(byte[] name) {
    return (name.length == 1 && name[0] == '.')
        || (name.length == 2 && name[0] == '.' && name[1] == '.');
  }

  private static Type type(int dType, byte[] cpath, byte[] name) {
    switch (dType) {
      case DT_DIR:
        return Type.DIRECTORY;
      case DT_REG:
        return Type.FILE;
      case DT_LNK:
        return Type.SYMLINK;
      case DT_UNKNOWN:
        // Some file systems (old XFS, some network ones) do not fill d_type: ask the inode.
        byte[] path = join(unterminated(cpath), name);
        if (isDirectoryNoFollow(path)) {
          return Type.DIRECTORY;
        }
        return isSymlink(path) ? Type.SYMLINK : Type.FILE;
      default:
        return Type.OTHER;
    }
  }

  /** True when {@code path} is a directory and not a symlink to one. */
  public static boolean isDirectoryNoFollow(byte[] path) {
    int fd = C.open(terminated(path), O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      return false;
    }
    C.close(fd);
    return true;
  }

  /** True when something (of any type, a dangling symlink included) exists at {@code path}. */
  public static boolean exists(byte[] path) {
    int fd = C.open(terminated(path), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      return false;
    }
    C.close(fd);
    return true;
  }

  /** True when {@code path} is a symbolic link. */
  public static boolean isSymlink(byte[] path) {
    return C.readlink(terminated(path), new byte[1], 1) >= 0;
  }

  /**
   * Counts the directories under {@code root} (itself included) that are not excluded: the number
   * of inotify watches the tree needs.
   */
  public static long countDirectories(Path root, PathFilter filter) throws IOException {
    byte[] base = nativeBytes(root);
    long count = 0;
    Deque<RelPath> todo = new ArrayDeque<>();
    todo.push(RelPath.ROOT);
    while (!todo.isEmpty()) {
      RelPath dir = todo.pop();
      count++;
      List<Entry> entries;
      try {
        entries = list(dir.isRoot() ? base : join(base, dir.bytes()));
      } catch (NativeCallException e) {
        if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
          continue;
        }
        throw e;
      }
      for (Entry entry : entries) {
        if (entry.isDirectory()) {
          RelPath child = dir.resolve(entry.name());
          if (!filter.excludes(child, true)) {
            todo.push(child);
          }
        }
      }
    }
    return count;
  }

  static byte[] terminated(byte[] path) {
    return Arrays.copyOf(path, path.length + 1);
  }

  private static byte[] unterminated(byte[] cpath) {
    return Arrays.copyOf(cpath, cpath.length - 1);
  }
}

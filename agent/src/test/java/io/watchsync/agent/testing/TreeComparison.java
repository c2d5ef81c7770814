package io.watchsync.agent.testing;

import io.watchsync.agent.fs.RelPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two directory trees entry by entry, never following symlinks: names, types, content,
 * permission bits and link targets. The roots' own attributes are not compared.
 *
 * <p>File names are handled as raw bytes whatever the JVM's file name encoding ({@code
 * sun.jnu.encoding}, UTF-8 under {@code C.UTF-8}, ASCII under {@code LC_ALL=C}): a {@code Path}
 * returned by a directory listing keeps the bytes the kernel gave, and {@code resolve(Path)},
 * {@code equals} and {@code compareTo} work on those bytes. Only {@code toString} would be lossy (a
 * stray byte turns into U+FFFD), so names are never round-tripped through strings, and messages
 * render them from the bytes recovered with {@code toUri()}. No JVM flag is needed.
 */
public final class TreeComparison {
  private static final int SHOWN = 20;

  private TreeComparison() {}

  /** Every difference between the two trees, as readable lines; empty when identical. */
  public static List<String> differences(Path source, Path replica) {
    List<String> out = new ArrayList<>();
    try {
      compareDirectories(source, replica, "", out);
    } catch (IOException e) {
      out.add("cannot compare: " + e);
    }
    return out;
  }

  /** Fails with the first differences when the trees differ. */
  public static void assertIdentical(Path source, Path replica) {
    List<String> diffs = differences(source, replica);
    if (!diffs.isEmpty()) {
      List<String> shown = diffs.subList(0, Math.min(SHOWN, diffs.size()));
      String more = diffs.size() > SHOWN ? "\n  … and " + (diffs.size() - SHOWN) + " more" : "";
      throw new AssertionError(
          "replica "
              + replica
              + " differs from "
              + source
              + " in "
              + diffs.size()
              + " places:\n  "
              + String.join("\n  ", shown)
              + more);
    }
  }

  private static void compareDirectories(Path a, Path b, String prefix, List<String> out)
      throws IOException {
    Map<Path, Path> left = list(a);
    Map<Path, Path> right = list(b);
    for (Map.Entry<Path, Path> e : left.entrySet()) {
      String name = prefix + display(e.getKey());
      Path other = right.get(e.getKey());
      if (other == null) {
        out.add(name + ": missing in replica");
      } else {
        compareEntries(e.getValue(), other, name, out);
      }
    }
    for (Path name : right.keySet()) {
      if (!left.containsKey(name)) {
        out.add(prefix + display(name) + ": only in replica");
      }
    }
  }

  private static void compareEntries(Path a, Path b, String name, List<String> out)
      throws IOException {
    PosixFileAttributes x = attributes(a);
    PosixFileAttributes y = attributes(b);
    if (x == null || y == null) {
      out.add(name + ": vanished during comparison");
      return;
    }
    String tx = type(x);
    String ty = type(y);
    if (!tx.equals(ty)) {
      out.add(name + ": " + tx + " in source, " + ty + " in replica");
      return;
    }
    if (!x.isSymbolicLink()) {
      String px = PosixFilePermissions.toString(x.permissions());
      String py = PosixFilePermissions.toString(y.permissions());
      if (!px.equals(py)) {
        out.add(name + ": mode " + px + " in source, " + py + " in replica");
      }
    }
    switch (tx) {
      case "directory" -> compareDirectories(a, b, name + "/", out);
      case "file" -> {
        if (x.size() != y.size()) {
          out.add(name + ": " + x.size() + " bytes in source, " + y.size() + " in replica");
        } else if (Files.mismatch(a, b) >= 0) {
          out.add(name + ": content differs");
        }
      }
      case "symlink" -> {
        Path lx = Files.readSymbolicLink(a);
        Path ly = Files.readSymbolicLink(b);
        if (!lx.equals(ly)) {
          out.add(name + ": link to " + lx + " in source, to " + ly + " in replica");
        }
      }
      default -> {}
    }
  }

  private static Map<Path, Path> list(Path dir) throws IOException {
    // A Path's compareTo orders by its raw bytes, so the listing order is stable.
    Map<Path, Path> entries = new TreeMap<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        entries.put(p.getFileName(), p);
      }
    } catch (NoSuchFileException e) {
      // Reported by the caller as a missing entry or a type difference.
    }
    return entries;
  }

  private static PosixFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static String type(PosixFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "symlink";
    }
    if (a.isDirectory()) {
      return "directory";
    }
    if (a.isRegularFile()) {
      return "file";
    }
    return "special file";
  }

  /** A file name rendered from its raw bytes (the URI form percent-encodes every odd byte). */
  static String display(Path name) {
    return RelPath.display(rawBytes(name));
  }

  /** The raw bytes of a single file name obtained from a directory listing. */
  public static byte[] rawBytes(Path name) {
    String uri = name.toUri().getRawPath();
    if (uri.endsWith("/")) {
      uri = uri.substring(0, uri.length() - 1);
    }
    String last = uri.substring(uri.lastIndexOf('/') + 1);
    ByteArrayOutputStream raw = new ByteArrayOutputStream(last.length());
    for (int i = 0; i < last.length(); i++) {
      char c = last.charAt(i);
      if (c == '%' && i + 2 < last.length()) {
        raw.write(Integer.parseInt(last.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        raw.write(c);
      }
    }
    return raw.toByteArray();
  }
}

package io.watchsync.agent.transport;

import io.watchsync.agent.fs.RelPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The include list of a deletion run ({@link RsyncCommand#delete()}): for each path, its ancestor
 * directories ({@code /a/}, {@code /a/b/}), then the path itself and everything below it ({@code
 * /a/b/c} and {@code /a/b/c/***}: the contents of a directory must not be excluded, or rsync
 * refuses to delete it), anchored at the transfer root and NUL-separated. rsync treats a backslash
 * as an escape only in a pattern that holds a wildcard, so in such a pattern the name's {@code * ?
 * [} and backslashes are escaped, and any other pattern goes as it is.
 */
final class DeletionList {
  private DeletionList() {}

  static byte[] of(List<RelPath> paths) {
    // ISO-8859-1 maps each byte to one char: a set of strings is a set of byte strings.
    Set<String> patterns = new LinkedHashSet<>();
    for (RelPath p : paths) {
      List<String> ancestors = new ArrayList<>();
      for (RelPath a = p.parent(); !a.isRoot(); a = a.parent()) {
        ancestors.add(0, latin1(a) + "/");
      }
      patterns.addAll(ancestors);
      patterns.add(latin1(p));
      patterns.add(latin1(p) + "\0");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String pattern : patterns) {
      out.write('/');
      boolean subtree = pattern.endsWith("\0");
      String name = subtree ? pattern.substring(0, pattern.length() - 1) : pattern;
      byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
      byte[] escaped = subtree ? escapeAlways(bytes) : escape(bytes);
      out.write(escaped, 0, escaped.length);
      if (subtree) {
        out.writeBytes("/***".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(0);
    }
    return out.toByteArray();
  }

  private static String latin1(RelPath p) {
    return new String(p.bytes(), StandardCharsets.ISO_8859_1);
  }

  static byte[] escape(byte[] pattern) {
    boolean wild = false;
    for (byte b : pattern) {
      if (b == '*' || b == '?' || b == '[') {
        wild = true;
        break;
      }
    }
    return wild ? escapeAlways(pattern) : pattern;
  }

  private static byte[] escapeAlways(byte[] pattern) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(pattern.length + 8);
    for (byte b : pattern) {
      if (b == '*' || b == '?' || b == '[' || b == '\\') {
        out.write('\\');
      }
      out.write(b);
    }
    return out.toByteArray();
  }
}

package io.watchsync.repo.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata a previous run left in repodata/, for --update to reuse: each package's entries of
 * primary.xml, filelists.xml and other.xml, kept as the bytes they were written as. A package whose
 * file did not change gets the same entries again without being read or parsed; this is what makes
 * an update cheap.
 */
final class PreviousMetadata {
  /** One package's three entries and what decides whether they still describe its file. */
  record Entries(
      byte[] primary,
      byte[] filelists,
      byte[] other,
      long size,
      long mtime,
      ChecksumType checksum,
      String base) {}

  private static final Pattern LOCATION =
      Pattern.compile("<location(?: xml:base=\"([^\"]*)\")? href=\"([^\"]*)\"");
  private static final Pattern TIME = Pattern.compile("<time file=\"(\\d+)\"");
  private static final Pattern SIZE = Pattern.compile("<size package=\"(\\d+)\"");
  private static final Pattern CHECKSUM = Pattern.compile("<checksum type=\"([^\"]*)\"");
  private static final Pattern CHECKSUM_VALUE =
      Pattern.compile("<checksum type=\"[^\"]*\" pkgid=\"YES\">([^<]*)</checksum>");
  private static final Pattern PKGID = Pattern.compile("pkgid=\"([^\"]*)\"");
  private static final Pattern COUNT = Pattern.compile("packages=\"(\\d+)\"");

  private final Map<String, List<Entries>> byHref;

  private PreviousMetadata(Map<String, List<Entries>> byHref) {
    this.byHref = byHref;
  }

  static PreviousMetadata none() {
    return new PreviousMetadata(Map.of());
  }

  /**
   * Reads the metadata {@code repomd} lists, under the repository {@code root}. Throws when it
   * cannot be read or does not hold one {@code <package>} element per package in each document in
   * the same order: the caller then reads every package again.
   */
  static PreviousMetadata load(Path root, Repomd repomd) throws IOException {
    byte[] primary = read(root, repomd, "primary");
    byte[] filelists = read(root, repomd, "filelists");
    byte[] other = read(root, repomd, "other");
    List<int[]> p = packages(primary);
    List<int[]> f = packages(filelists);
    List<int[]> o = packages(other);
    if (p.size() != f.size() || p.size() != o.size() || p.size() != declaredCount(primary)) {
      throw new IOException("primary, filelists and other list different packages");
    }
    Map<String, List<Entries>> byHref = new HashMap<>();
    for (int i = 0; i < p.size(); i++) {
      String pri = text(primary, p.get(i));
      String pkgid = group(CHECKSUM_VALUE, pri, 1);
      if (!pkgid.equals(group(PKGID, text(filelists, f.get(i)), 1))
          || !pkgid.equals(group(PKGID, text(other, o.get(i)), 1))) {
        throw new IOException("package " + i + " is not the same in primary, filelists and other");
      }
      Matcher location = LOCATION.matcher(pri);
      if (!location.find()) {
        throw new IOException("package " + i + " has no location");
      }
      ChecksumType checksum = ChecksumType.parse(group(CHECKSUM, pri, 1));
      Entries e =
          new Entries(
              slice(primary, p.get(i)),
              slice(filelists, f.get(i)),
              slice(other, o.get(i)),
              Long.parseLong(group(SIZE, pri, 1)),
              Long.parseLong(group(TIME, pri, 1)),
              checksum,
              location.group(1) == null ? null : unescape(location.group(1)));
      byHref.computeIfAbsent(unescape(location.group(2)), k -> new ArrayList<>(1)).add(e);
    }
    return new PreviousMetadata(byHref);
  }

  /**
   * The previous entries of the package at {@code href} when its file still has the size and
   * modification time it had, it was hashed the same way and is listed under the same base URL;
   * null otherwise.
   */
  Entries reusable(String href, long size, long mtime, ChecksumType checksum, String base) {
    List<Entries> candidates = byHref.get(href);
    if (candidates == null) {
      return null;
    }
    for (Entries e : candidates) {
      if (e.size == size
          && e.mtime == mtime
          && e.checksum == checksum
          && java.util.Objects.equals(emptyToNull(e.base), emptyToNull(base))) {
        return e;
      }
    }
    return null;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static byte[] read(Path root, Repomd repomd, String type) throws IOException {
    Repomd.Record record = repomd.record(type);
    if (record == null) {
      throw new IOException("repomd.xml lists no " + type + " metadata");
    }
    Path file = root.resolve(record.location());
    Compression c = Compression.ofFileName(file.getFileName().toString());
    if (c == null) {
      throw new IOException(file + ": unknown compression");
    }
    try (InputStream in = c.decompress(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /** Start and end offsets of every {@code <package ...>...</package>} element. */
  private static List<int[]> packages(byte[] doc) throws IOException {
    List<int[]> out = new ArrayList<>();
    byte[] open = "<package".getBytes(StandardCharsets.US_ASCII);
    byte[] close = "</package>".getBytes(StandardCharsets.US_ASCII);
    int at = 0;
    while (true) {
      int start = indexOf(doc, open, at);
      if (start < 0) {
        return out;
      }
      int end = indexOf(doc, close, start);
      if (end < 0) {
        throw new IOException("a <package> element is not closed");
      }
      end += close.length;
      if (end < doc.length && doc[end] == '\n') {
        end++;
      }
      out.add(new int[] {start, end});
      at = end;
    }
  }

  private static int indexOf(byte[] doc, byte[] what, int from) {
    byte first = what[0];
    int last = doc.length - what.length;
    for (int i = from; i <= last; i++) {
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

  private static int declaredCount(byte[] doc) throws IOException {
    String head = new String(doc, 0, Math.min(doc.length, 512), StandardCharsets.UTF_8);
    Matcher m = COUNT.matcher(head);
    if (!m.find()) {
      throw new IOException("no packages count in the root element");
    }
    return Integer.parseInt(m.group(1));
  }

  private static byte[] slice(byte[] doc, int[] range) {
    return java.util.Arrays.copyOfRange(doc, range[0], range[1]);
  }

  /** The start of an element, enough for its attributes and the first fields. */
  private static String text(byte[] doc, int[] range) {
    return new String(doc, range[0], range[1] - range[0], StandardCharsets.UTF_8);
  }

  private static String group(Pattern p, String s, int group) throws IOException {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      throw new IOException("an entry has no " + p.pattern());
    }
    return m.group(group);
  }

  /** Undoes XML escaping in an attribute value (entities and character references). */
  static String unescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int semi = c == '&' ? s.indexOf(';', i) : -1;
      if (semi < 0) {
        out.append(c);
        i++;
        continue;
      }
      String entity = s.substring(i + 1, semi);
      switch (entity) {
        case "amp" -> out.append('&');
        case "lt" -> out.append('<');
        case "gt" -> out.append('>');
        case "quot" -> out.append('"');
        case "apos" -> out.append('\'');
        default -> {
          if (entity.startsWith("#x") || entity.startsWith("#X")) {
            out.appendCodePoint(Integer.parseInt(entity.substring(2), 16));
          } else if (entity.startsWith("#")) {
            out.appendCodePoint(Integer.parseInt(entity.substring(1)));
          } else {
            out.append(s, i, semi + 1);
          }
        }
      }
      i = semi + 1;
    }
    return out.toString();
  }
}

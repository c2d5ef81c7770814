package io.watchsync.repo.index;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata a previous run left in repodata/, for --update to reuse: each package's entries of
 * primary.xml, filelists.xml and other.xml, kept as the bytes they were written as. A package whose
 * file did not change gets the same entries again without being read or parsed; this is what makes
 * an update cheap. The open documents are spilled to files in a working directory and only where
 * each entry lies is kept in memory, so a repository of any size costs some bytes per package.
 */
final class PreviousMetadata implements Closeable {
  /** One package's three entries (where they lie) and what decides whether they still hold. */
  record Entries(
      long primaryAt,
      int primaryLength,
      long filelistsAt,
      int filelistsLength,
      long otherAt,
      int otherLength,
      long size,
      long mtime,
      ChecksumType checksum,
      String base) {}

  private static final String[] TYPES = {"primary", "filelists", "other"};
  private static final Pattern COUNT = Pattern.compile("packages=\"(\\d+)\"");

  private final Map<String, List<Entries>> byHref;
  private final FileChannel[] documents;

  private PreviousMetadata(Map<String, List<Entries>> byHref, FileChannel[] documents) {
    this.byHref = byHref;
    this.documents = documents;
  }

  static PreviousMetadata none() {
    return new PreviousMetadata(Map.of(), new FileChannel[0]);
  }

  /**
   * Reads the metadata {@code repomd} lists, under the repository {@code root}, spilling the open
   * documents into {@code work}. Throws when it cannot be read or does not hold one {@code
   * <package>} element per package in each document in the same order: the caller then reads every
   * package again.
   */
  static PreviousMetadata load(Path root, Repomd repomd, Path work) throws IOException {
    Path[] files = new Path[TYPES.length];
    for (int i = 0; i < TYPES.length; i++) {
      files[i] = document(root, repomd, TYPES[i]);
    }
    List<PrimaryFields> primary = new ArrayList<>();
    List<long[]> filelists = new ArrayList<>();
    List<long[]> other = new ArrayList<>();
    List<String> filelistsIds = new ArrayList<>();
    List<String> otherIds = new ArrayList<>();
    // filelists and other are read beside primary, which takes the longest to look through.
    ExecutorService pool = Executors.newFixedThreadPool(2, Background::thread);
    try {
      Future<byte[]> f =
          pool.submit(() -> spill(files[1], work.resolve("filelists"), filelists, filelistsIds));
      Future<byte[]> o = pool.submit(() -> spill(files[2], work.resolve("other"), other, otherIds));
      byte[] head =
          spill(
              files[0],
              work.resolve("primary"),
              (at, bytes, from, length) -> primary.add(PrimaryFields.of(at, bytes, from, length)));
      Background.await(f);
      Background.await(o);
      if (primary.size() != filelists.size()
          || primary.size() != other.size()
          || primary.size() != declaredCount(head)) {
        throw new IOException("primary, filelists and other list different packages");
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, List<Entries>> byHref = new HashMap<>();
    for (int i = 0; i < primary.size(); i++) {
      PrimaryFields p = primary.get(i);
      if (!p.pkgid.equals(filelistsIds.get(i)) || !p.pkgid.equals(otherIds.get(i))) {
        throw new IOException("package " + i + " is not the same in primary, filelists and other");
      }
      long[] fl = filelists.get(i);
      long[] ot = other.get(i);
      Entries e =
          new Entries(
              p.at,
              p.length,
              fl[0],
              (int) fl[1],
              ot[0],
              (int) ot[1],
              p.size,
              p.mtime,
              p.checksum,
              p.base);
      byHref.computeIfAbsent(p.href, k -> new ArrayList<>(1)).add(e);
    }
    FileChannel[] channels = new FileChannel[TYPES.length];
    try {
      for (int i = 0; i < TYPES.length; i++) {
        channels[i] = FileChannel.open(work.resolve(TYPES[i]), StandardOpenOption.READ);
      }
    } catch (IOException e) {
      closeAll(channels);
      throw e;
    }
    return new PreviousMetadata(byHref, channels);
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

  /** The entry's bytes in primary.xml; safe to call from several threads at once. */
  byte[] primary(Entries e) throws IOException {
    return read(documents[0], e.primaryAt, e.primaryLength);
  }

  byte[] filelists(Entries e) throws IOException {
    return read(documents[1], e.filelistsAt, e.filelistsLength);
  }

  byte[] other(Entries e) throws IOException {
    return read(documents[2], e.otherAt, e.otherLength);
  }

  @Override
  public void close() throws IOException {
    closeAll(documents);
  }

  private static byte[] read(FileChannel channel, long at, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, at + buffer.position()) < 0) {
        throw new IOException("the previous metadata ended early");
      }
    }
    return buffer.array();
  }

  private static void closeAll(FileChannel[] channels) throws IOException {
    IOException first = null;
    for (FileChannel c : channels) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static Path document(Path root, Repomd repomd, String type) throws IOException {
    Repomd.Record record = repomd.record(type);
    if (record == null) {
      throw new IOException("repomd.xml lists no " + type + " metadata");
    }
    Path file = root.resolve(record.location());
    if (Compression.ofFileName(file.getFileName().toString()) == null) {
      throw new IOException(file + ": unknown compression");
    }
    return file;
  }

  /** Spills filelists or other, noting where each element lies and the package it names. */
  private static byte[] spill(Path file, Path to, List<long[]> where, List<String> pkgids)
      throws IOException {
    return spill(
        file,
        to,
        (at, bytes, from, length) -> {
          where.add(new long[] {at, length});
          pkgids.add(attribute(bytes, from, length, "pkgid=\""));
        });
  }

  private static byte[] spill(Path file, Path to, PackageElements.Listener listener)
      throws IOException {
    Compression c = Compression.ofFileName(file.getFileName().toString());
    try (InputStream in = c.decompress(Files.newInputStream(file));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(to), 1 << 16)) {
      return PackageElements.split(in, out, listener);
    }
  }

  /** What a primary entry says of its package: its id, file, size, time and where it lies. */
  private record PrimaryFields(
      long at,
      int length,
      String pkgid,
      String href,
      String base,
      long size,
      long mtime,
      ChecksumType checksum) {
    static PrimaryFields of(long at, byte[] bytes, int from, int length) throws IOException {
      String text = new String(bytes, from, length, StandardCharsets.UTF_8);
      int checksumAt = text.indexOf("<checksum type=\"");
      if (checksumAt < 0) {
        throw new IOException("an entry has no checksum");
      }
      ChecksumType checksum = ChecksumType.parse(attribute(text, checksumAt, "type=\""));
      int pkgidAt = text.indexOf("pkgid=\"YES\">", checksumAt);
      if (pkgidAt < 0) {
        throw new IOException("an entry has no package checksum");
      }
      int idStart = pkgidAt + "pkgid=\"YES\">".length();
      int idEnd = text.indexOf('<', idStart);
      String pkgid = text.substring(idStart, idEnd < 0 ? idStart : idEnd);
      long mtime = Long.parseLong(required(text, "<time file=\""));
      long size = Long.parseLong(required(text, "<size package=\""));
      int locationAt = text.indexOf("<location");
      if (locationAt < 0) {
        throw new IOException("an entry has no location");
      }
      int tagEnd = text.indexOf('>', locationAt);
      String location = text.substring(locationAt, tagEnd < 0 ? text.length() : tagEnd);
      String base =
          location.contains(" xml:base=\"") ? attribute(location, 0, "xml:base=\"") : null;
      String href = attribute(location, 0, " href=\"");
      if (href == null) {
        throw new IOException("an entry has no location");
      }
      return new PrimaryFields(
          at,
          length,
          pkgid,
          unescape(href),
          base == null ? null : unescape(base),
          size,
          mtime,
          checksum);
    }

    private static String required(String text, String prefix) throws IOException {
      String value = attribute(text, 0, prefix);
      if (value == null) {
        throw new IOException("an entry has no " + prefix);
      }
      return value;
    }
  }

  /** The value of the attribute {@code prefix} names (it ends with the opening quote), or null. */
  private static String attribute(String text, int from, String prefix) {
    int at = text.indexOf(prefix, from);
    if (at < 0) {
      return null;
    }
    int start = at + prefix.length();
    int end = text.indexOf('"', start);
    return end < 0 ? null : text.substring(start, end);
  }

  private static String attribute(byte[] bytes, int from, int length, String prefix) {
    return attribute(
        new String(bytes, from, Math.min(length, 512), StandardCharsets.UTF_8), 0, prefix);
  }

  private static int declaredCount(byte[] head) throws IOException {
    Matcher m = COUNT.matcher(new String(head, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IOException("no packages count in the root element");
    }
    return Integer.parseInt(m.group(1));
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

package io.watchsync.repo.mirror.download;

import io.watchsync.repo.index.ChecksumType;
import io.watchsync.repo.index.KnownChecksums;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an earlier run verified: for each package file, its size, modification time and upstream
 * checksum. A file whose size and time still match need not be read again to know its checksum,
 * which keeps a re-run with nothing new quick, and the index need not read a package's payload to
 * know its checksum. Lost or stale state only costs a re-read.
 */
public final class MirrorState implements KnownChecksums {
  private record Entry(long size, long mtime, String checksumType, String checksum) {}

  private final Path file;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private MirrorState(Path file) {
    this.file = file;
  }

  /** The state kept in {@code file}; empty when there is none or it cannot be read. */
  public static MirrorState load(Path file) {
    MirrorState state = new MirrorState(file);
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines) {
        String[] f = line.split("\t");
        if (f.length == 5) {
          state.entries.put(
              f[0], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], f[4]));
        }
      }
    } catch (IOException | NumberFormatException e) {
      state.entries.clear(); // re-verified from the files themselves
    }
    return state;
  }

  /** Whether {@code path} (stored as {@code key}) was verified to have this checksum, unchanged. */
  public boolean verified(String key, Path path, String checksumType, String checksum)
      throws IOException {
    Entry e = entries.get(key);
    return e != null
        && e.checksumType.equals(checksumType)
        && e.checksum.equalsIgnoreCase(checksum)
        && Files.size(path) == e.size
        && Files.getLastModifiedTime(path).toMillis() == e.mtime;
  }

  /** The upstream checksum of {@code path}, stored as {@code href}, when verified and unchanged. */
  @Override
  public String checksum(String href, Path path, ChecksumType type) throws IOException {
    Entry e = entries.get(href);
    if (e == null || ChecksumType.parse(e.checksumType) != type) {
      return null;
    }
    BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
    return now.size() == e.size && now.lastModifiedTime().toMillis() == e.mtime
        ? e.checksum.toLowerCase(Locale.ROOT)
        : null;
  }

  public void record(String key, Path path, String checksumType, String checksum)
      throws IOException {
    entries.put(
        key,
        new Entry(
            Files.size(path), Files.getLastModifiedTime(path).toMillis(), checksumType, checksum));
  }

  public void forget(String key) {
    entries.remove(key);
  }

  /** Writes the state with an atomic rename: a crash leaves the old one. */
  public void save() throws IOException {
    StringBuilder s = new StringBuilder();
    entries.forEach(
        (key, e) ->
            s.append(key)
                .append('\t')
                .append(e.size)
                .append('\t')
                .append(e.mtime)
                .append('\t')
                .append(e.checksumType)
                .append('\t')
                .append(e.checksum)
                .append('\n'));
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, s, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

package io.watchsync.repo.mirror;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.mirror.download.Downloader;
import io.watchsync.repo.mirror.download.MirrorState;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The closure of the last run, keyed by everything it was computed from (each upstream's
 * repomd.xml, the arguments and options). A re-run whose key matches and finds every file still in
 * place and verified needs neither the upstream metadata nor the resolver: that keeps a re-run with
 * nothing new within a fraction of a second of the JVM's start-up. Any doubt, and the run takes the
 * full path.
 */
final class ClosureCache {
  /** One package of the cached closure: where it lives and its upstream checksum. */
  record Entry(String key, String checksumType, String checksum) {}

  /** The cached closure and what the run reported about it. */
  record Cached(
      List<Entry> entries,
      List<String> unmatched,
      List<String> problems,
      List<String> streams,
      String fingerprint) {}

  private static final int VERSION = 1;
  private final Path file;

  ClosureCache(Path file) {
    this.file = file;
  }

  /** The key of a run: the upstreams' repomd.xml, then the request, in order. */
  static String key(List<UpstreamRepo> repos, List<String> arches, Object request)
      throws IOException {
    var d = Digests.sha256();
    for (UpstreamRepo repo : repos) {
      d.update(
          (repo.id() + "\n" + repo.repomdChecksum() + "\n" + repo.packages() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    d.update((arches + "\n" + request).getBytes(StandardCharsets.UTF_8));
    return Digests.hex(d);
  }

  void save(String key, Collection<Downloader.Task> tasks, Closure closure, String fingerprint)
      throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
      out.writeInt(VERSION);
      out.writeUTF(key);
      out.writeUTF(fingerprint);
      out.writeInt(tasks.size());
      for (Downloader.Task t : tasks) {
        out.writeUTF(t.key());
        out.writeUTF(String.valueOf(t.pkg().checksumType()));
        out.writeUTF(String.valueOf(t.pkg().checksum()));
      }
      writeList(out, closure.unmatched());
      writeList(out, closure.problems());
      writeList(out, closure.streams());
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The closure cached under {@code key}, or null. */
  Cached load(String key) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (in.readInt() != VERSION || !in.readUTF().equals(key)) {
        return null;
      }
      String fingerprint = in.readUTF();
      int n = in.readInt();
      List<Entry> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        entries.add(new Entry(in.readUTF(), in.readUTF(), in.readUTF()));
      }
      return new Cached(entries, readList(in), readList(in), readList(in), fingerprint);
    } catch (IOException e) {
      return null; // then the full path
    }
  }

  /** Whether every cached package is in place and verified, by the state (no file read). */
  static boolean allInPlace(Path root, Cached cached, MirrorState state) throws IOException {
    for (Entry e : cached.entries()) {
      Path path = root.resolve(e.key());
      if (!Files.isRegularFile(path)
          || !state.verified(e.key(), path, e.checksumType(), e.checksum())) {
        return false;
      }
      Path main = root.resolve("Packages").resolve(path.getFileName());
      if (!path.equals(main) && Files.exists(main)) {
        return false; // a superseded file still to remove
      }
    }
    return true;
  }

  private static void writeList(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      out.writeUTF(s);
    }
  }

  private static List<String> readList(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<String> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(in.readUTF());
    }
    return list;
  }
}

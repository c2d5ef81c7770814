package io.watchsync.repo.mirror.publish;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.index.IndexException;
import io.watchsync.repo.index.IndexOptions;
import io.watchsync.repo.index.IndexReport;
import io.watchsync.repo.index.ProgressListener;
import io.watchsync.repo.index.RepoIndexer;
import io.watchsync.repo.mirror.MirrorException;
import io.watchsync.repo.mirror.download.Downloader;
import io.watchsync.repo.mirror.download.MirrorState;
import io.watchsync.repo.mirror.download.Placement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes the mirror's files its published repository: a new index (leaving out what is to go), the
 * carried metadata, then the removal of superseded and (with --delete) unwanted packages — in that
 * order, so the index in place always matches the files. A run that changed nothing leaves the
 * index as it was: {@code .mirror/published} records what the last index covered.
 */
public final class Publisher {
  private final Path root;
  private final Path published;
  private final Placement placement;
  private final MirrorState state;

  public Publisher(Path root, Path published, Placement placement, MirrorState state) {
    this.root = root;
    this.published = published;
    this.placement = placement;
    this.state = state;
  }

  /**
   * @param tasks every package of the closure, at its place
   * @param superseded older files the closure's packages replace (removed in any case)
   * @param delete remove the other packages under Packages/ too
   * @param fetched how many packages this run fetched
   * @return how many package files were removed, and what the published index covers
   */
  public Result publish(
      Collection<Downloader.Task> tasks,
      List<Path> superseded,
      boolean delete,
      int fetched,
      ExtraMetadata extra)
      throws MirrorException {
    Path packages = root.resolve("Packages");
    List<Path> unwanted = new ArrayList<>(superseded);
    if (delete) {
      Set<String> wanted = new HashSet<>();
      tasks.forEach(t -> wanted.add(t.key()));
      for (Path p : unwanted(packages, wanted)) {
        if (!unwanted.contains(p)) {
          unwanted.add(p);
        }
      }
    }
    String fingerprint = fingerprint(tasks, extra);
    boolean unchanged =
        fetched == 0
            && unwanted.isEmpty()
            && Files.isRegularFile(root.resolve("repodata/repomd.xml"))
            && fingerprint.equals(readQuietly(published));
    if (!unchanged) {
      deleteQuietly(published);
      index(unwanted, extra, mirroredFiles(tasks));
    }
    int deleted = 0;
    try {
      for (Path p : unwanted) {
        Files.deleteIfExists(p);
        state.forget(placement.key(p));
        Path dir = p.getParent();
        if (!dir.equals(packages) && isEmpty(dir)) {
          Files.deleteIfExists(dir);
        }
        if (p.getFileName().toString().endsWith(".rpm")) {
          deleted++;
        }
      }
      if (!unchanged) {
        writeAtomically(published, fingerprint);
      }
    } catch (IOException e) {
      throw new MirrorException("cannot remove " + IoErrors.describe(e), e);
    }
    return new Result(deleted, fingerprint);
  }

  /** What a publish did: files removed, and the fingerprint of what the index covers. */
  public record Result(int deleted, String fingerprint) {}

  /** Whether the index in place covers {@code fingerprint} (as the last publish recorded it). */
  public boolean covers(String fingerprint) {
    return Files.isRegularFile(root.resolve("repodata/repomd.xml"))
        && fingerprint.equals(readQuietly(published));
  }

  /** Packages (and stale partial files) under Packages/ that the closure no longer holds. */
  private List<Path> unwanted(Path packages, Set<String> wanted) throws MirrorException {
    if (!Files.isDirectory(packages)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(packages, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".rpm.part")) {
                  String real = name.substring(1, name.length() - ".part".length());
                  return !wanted.contains(placement.key(f.resolveSibling(real)));
                }
                return name.endsWith(".rpm") && !wanted.contains(placement.key(f));
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new MirrorException("--delete: " + IoErrors.describe(e), e);
    }
  }

  /**
   * Indexes the mirror (reusing what the last index read), leaving out what is about to be deleted,
   * then adds the upstream groups, modules and updateinfo.
   */
  private void index(List<Path> unwanted, ExtraMetadata extra, Set<String> mirrored)
      throws MirrorException {
    List<String> excludes = unwanted.stream().map(placement::key).toList();
    IndexOptions defaults = IndexOptions.defaults();
    IndexOptions options =
        new IndexOptions(
            true,
            defaults.workers(),
            defaults.compression(),
            defaults.checksum(),
            null,
            defaults.changelogLimit(),
            excludes);
    try {
      IndexReport report =
          new RepoIndexer(options, ProgressListener.NONE).trusting(state).index(root);
      if (!report.rejected().isEmpty()) {
        throw new MirrorException("index: rejected " + report.rejected().get(0));
      }
      extra.publish(root.resolve("repodata"), mirrored);
    } catch (IndexException e) {
      throw new MirrorException("index: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MirrorException("index: " + IoErrors.describe(e), e);
    }
  }

  /** Every package file with its upstream checksum, and the carried metadata. */
  private static String fingerprint(Collection<Downloader.Task> tasks, ExtraMetadata extra) {
    var d = Digests.sha256();
    List<String> lines = new ArrayList<>();
    for (Downloader.Task t : tasks) {
      lines.add(t.key() + "\t" + t.pkg().checksum());
    }
    Collections.sort(lines);
    for (String line : lines) {
      d.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    d.update(extra.fingerprint().getBytes(StandardCharsets.UTF_8));
    return Digests.hex(d);
  }

  /** The file names of the closure's packages that are in place. */
  private static Set<String> mirroredFiles(Collection<Downloader.Task> tasks) {
    Set<String> names = new HashSet<>();
    for (Downloader.Task t : tasks) {
      if (Files.isRegularFile(t.target())) {
        names.add(t.pkg().fileName());
      }
    }
    return names;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return null;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // then the next run indexes again, which is only slower
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, text + "\n");
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}

package io.watchsync.repo.mirror.download;

import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.upstream.Fetcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a package lives in the mirror: {@code Packages/NAME}, unless another file of that name is
 * there already — an earlier publication of a package republished upstream under the same name,
 * which the current index may list. Then the new one goes to {@code Packages/CHECKSUM/NAME}, and
 * the old one stays readable until the new index no longer lists it: a run killed in between leaves
 * an index whose every file still matches it.
 */
public final class Placement {
  /**
   * @param target the file's path
   * @param key its path in the mirror, '/'-separated, as the state and the index name it
   * @param superseded the older file of the same name the package replaces, or null
   */
  public record Placed(Path target, String key, Path superseded) {}

  private final Path root;
  private final MirrorState state;

  public Placement(Path root, MirrorState state) {
    this.root = root;
    this.state = state;
  }

  public Placed place(Pkg p) throws IOException {
    Path packages = root.resolve("Packages");
    Path main = packages.resolve(p.fileName());
    Path aside = packages.resolve(directoryOf(p)).resolve(p.fileName());
    if (Files.isRegularFile(aside) || Files.exists(Fetcher.partial(aside))) {
      return placed(aside, Files.exists(main) ? main : null);
    }
    if (!Files.exists(main)) {
      return placed(main, null);
    }
    String key = key(main);
    if (state.verified(key, main, p.checksumType(), p.checksum())) {
      return placed(main, null);
    }
    if (PackageIntegrity.problem(p, main) == null) {
      state.record(key, main, p.checksumType(), p.checksum());
      return placed(main, null);
    }
    return placed(aside, main);
  }

  private Placed placed(Path target, Path superseded) {
    return new Placed(target, key(target), superseded);
  }

  public String key(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  /** The first 16 hex digits of the upstream checksum: one directory per publication. */
  private static String directoryOf(Pkg p) {
    String c = p.checksum() == null ? "" : p.checksum().toLowerCase(java.util.Locale.ROOT);
    if (!c.matches("[0-9a-f]{16,}")) {
      return "republished";
    }
    return c.substring(0, 16);
  }
}

package io.watchsync.repo.collect;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the RPM files under one source directory.
 *
 * <p>The tree is walked without following symbolic links (to directories or to files). When it has
 * a directory named {@code packages} anywhere (the source itself included) it is a package cache,
 * and only {@code *.rpm} regular files directly inside a {@code packages} directory count: that
 * covers yum ({@code /var/cache/yum/$basearch/$releasever/REPO/packages}), dnf ({@code
 * /var/cache/dnf/REPO-HASH/packages}) and dnf5 ({@code /var/cache/libdnf5/REPO-HASH/packages}), and
 * leaves out anything else a cache holds. A tree without any {@code packages} directory is a plain
 * directory of RPMs: every {@code *.rpm} regular file in it, at any depth, counts.
 */
final class CacheScanner {
  static final String PACKAGES = "packages";

  /** What a walk found: the RPM files in path order, and the directories it could not read. */
  record Scan(List<Path> rpms, List<CollectResult.Rejected> unreadable) {}

  private CacheScanner() {}

  /**
   * Scans {@code root}, skipping the directory whose file key is {@code skip} (the target, when it
   * lies inside a source), or nothing when it is null.
   */
  static Scan scan(Path root, Object skip) throws IOException {
    List<Path> inPackagesDirs = new ArrayList<>();
    List<Path> anywhere = new ArrayList<>();
    List<CollectResult.Rejected> unreadable = new ArrayList<>();
    boolean[] sawPackagesDir = {false};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (skip != null && skip.equals(attrs.fileKey())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            if (isPackagesDir(dir)) {
              sawPackagesDir[0] = true;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".rpm")) {
              anywhere.add(file);
              if (isPackagesDir(file.getParent())) {
                inPackagesDirs.add(file);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            unreadable.add(new CollectResult.Rejected(file, "cannot read: " + IoErrors.reason(e)));
            return FileVisitResult.CONTINUE;
          }
        });
    List<Path> rpms = sawPackagesDir[0] ? inPackagesDirs : anywhere;
    return new Scan(rpms.stream().sorted().toList(), unreadable);
  }

  private static boolean isPackagesDir(Path dir) {
    return dir != null
        && dir.getFileName() != null
        && dir.getFileName().toString().equals(PACKAGES);
  }
}

package io.watchsync.repo.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the packages of a repository: every {@code *.rpm} file under the root (a symlink to a file
 * counts; symlinked directories are not followed), outside {@code repodata/} and hidden
 * directories, not matched by an exclude glob. Returned sorted by their path in the repository.
 */
final class PackageScanner {
  /** A package file and its path relative to the repository root, with '/' separators. */
  record Candidate(Path file, String href) {}

  private final List<PathMatcher> excludes = new ArrayList<>();

  PackageScanner(List<String> excludeGlobs) {
    for (String glob : excludeGlobs) {
      excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    }
  }

  List<Candidate> scan(Path root) throws IOException {
    List<Candidate> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(
          p -> {
            Path rel = root.relativize(p);
            if (rel.toString().isEmpty() || !p.getFileName().toString().endsWith(".rpm")) {
              return;
            }
            if (hidden(rel) || rel.getName(0).toString().equals("repodata")) {
              return;
            }
            if (!Files.isRegularFile(p) || excluded(rel)) {
              return;
            }
            out.add(new Candidate(p, rel.toString().replace('\\', '/')));
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.sort((a, b) -> a.href().compareTo(b.href()));
    return out;
  }

  private static boolean hidden(Path rel) {
    for (Path part : rel) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private boolean excluded(Path rel) {
    for (PathMatcher m : excludes) {
      if (m.matches(rel) || m.matches(rel.getFileName())) {
        return true;
      }
    }
    return false;
  }
}

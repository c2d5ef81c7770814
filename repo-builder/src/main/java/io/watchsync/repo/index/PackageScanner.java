package io.watchsync.repo.index;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Finds the packages of a repository the way createrepo_c 0.17 does, in its order:
 *
 * <ul>
 *   <li>every {@code *.rpm} file under the root (a symlink to a file counts; symlinked directories
 *       are not followed, where createrepo_c follows them, loops included), outside the top {@code
 *       repodata/} and hidden files and directories, which are never opened;
 *   <li>a directory whose name matches an exclude glob is not entered; a package is left out when
 *       its file name or its path in the repository matches one ({@link ExcludeGlob});
 *   <li>a directory that cannot be opened (no permission, {@code lost+found} on a mount point) is
 *       reported and skipped, the rest is scanned;
 *   <li>sorted by file name, then by directory, comparing UTF-8 bytes as {@code strcmp} does.
 * </ul>
 */
final class PackageScanner {
  /** A package file and its path relative to the repository root, with '/' separators. */
  record Candidate(Path file, String href) {
    String fileName() {
      return href.substring(href.lastIndexOf('/') + 1);
    }

    /** The directory in the repository, without a trailing '/'; "" at the top. */
    String directory() {
      int slash = href.lastIndexOf('/');
      return slash < 0 ? "" : href.substring(0, slash);
    }
  }

  /**
   * The packages found, and one line per directory that could not be read ("DIR: why").
   *
   * @param packages in createrepo_c's order
   * @param unreadable directories skipped, each with the reason
   */
  record Scan(List<Candidate> packages, List<String> unreadable) {}

  /** createrepo_c's order: file name, then directory, as unsigned UTF-8 bytes. */
  static final Comparator<Candidate> ORDER =
      Comparator.<Candidate, byte[]>comparing(c -> utf8(c.fileName()), Arrays::compareUnsigned)
          .thenComparing(c -> utf8(c.directory()), Arrays::compareUnsigned);

  private final List<ExcludeGlob> excludes = new ArrayList<>();

  PackageScanner(List<String> excludeGlobs) {
    for (String glob : excludeGlobs) {
      excludes.add(new ExcludeGlob(glob));
    }
  }

  /** Scans {@code root}; only the root itself being unreadable is an error. */
  Scan scan(Path root) throws IOException {
    List<Candidate> found = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    Deque<String> directories = new ArrayDeque<>();
    list(root, "", found, directories);
    while (!directories.isEmpty()) {
      String dir = directories.pop();
      try {
        list(root, dir, found, directories);
      } catch (IOException e) {
        unreadable.add(root.resolve(dir) + ": " + IoErrors.reason(e));
      }
    }
    found.sort(ORDER);
    unreadable.sort(Comparator.naturalOrder());
    return new Scan(found, unreadable);
  }

  private void list(Path root, String dir, List<Candidate> found, Deque<String> directories)
      throws IOException {
    Path directory = dir.isEmpty() ? root : root.resolve(dir);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        String rel = dir.isEmpty() ? name : dir + "/" + name;
        if (name.startsWith(".") || (dir.isEmpty() && name.equals("repodata"))) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException vanished) {
          continue; // removed while we looked: not part of this index
        }
        if (attributes.isDirectory()) {
          if (!excluded(name)) {
            directories.push(rel);
          }
        } else if (name.endsWith(".rpm")
            && (attributes.isRegularFile()
                || (attributes.isSymbolicLink() && Files.isRegularFile(entry)))
            && !excluded(name)
            && !excluded(rel)) {
          found.add(new Candidate(entry, rel));
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
  }

  private boolean excluded(String name) {
    for (ExcludeGlob glob : excludes) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

package io.watchsync.repo.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs commands as a user without privileges, so that a directory of mode 000 cannot be opened, as
 * on a user's machine: as root (a container, CI) that means {@code setpriv} to {@code nobody},
 * since root opens every directory whatever its mode; as any other user the command runs as is.
 */
public final class Unprivileged {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final String USER = "nobody";
  private static List<String> classPath;

  private Unprivileged() {}

  public static boolean root() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  /** Whether {@link #run} can drop privileges here (or has none to drop). */
  public static boolean possible() throws IOException {
    return !root() || Command.available("setpriv");
  }

  /**
   * Makes {@code tree} (and everything in it) the unprivileged user's, and its parents below the
   * temporary directory passable to others.
   */
  public static void own(Path tree) throws IOException {
    if (!root()) {
      return;
    }
    UserPrincipal nobody =
        tree.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
    try (Stream<Path> all = Files.walk(tree)) {
      for (Path p : all.toList()) {
        Files.setOwner(p, nobody);
      }
    }
    // Only the test's own directories are opened up: those between the temporary directory and
    // the tree (JUnit makes its @TempDir rwx------).
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    for (Path p = tree.toAbsolutePath().getParent();
        p != null && p.startsWith(tmp) && !p.equals(tmp);
        p = p.getParent()) {
      var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(p, perms);
      }
    }
  }

  /** Runs {@code command} as the unprivileged user. */
  public static Command run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (root()) {
      // 65534 is nogroup on Debian and nobody on Fedora.
      full.addAll(List.of("setpriv", "--reuid=" + USER, "--regid=65534", "--clear-groups"));
    }
    full.addAll(command);
    return Command.run(DEADLINE, full);
  }

  /** Runs repo-builder, in a JVM of its own, as the unprivileged user. */
  public static Command repoBuilder(String... args) throws IOException {
    return run(RepoBuilder.inOwnJvm(String.join(File.pathSeparator, classPath()), List.of(args)));
  }

  /**
   * This JVM's class path, copied where the unprivileged user can read it when we are root (the
   * local Maven repository under /root is not readable to others), once per test JVM, into a
   * temporary directory removed when the JVM exits.
   */
  private static synchronized List<String> classPath() throws IOException {
    if (classPath != null) {
      return classPath;
    }
    List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    if (!root()) {
      classPath = entries;
      return classPath;
    }
    Path lib = Files.createTempDirectory("unprivileged-classpath-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(lib)));
    Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> copied = new ArrayList<>();
    int n = 0;
    for (String entry : entries) {
      Path from = Path.of(entry);
      if (!Files.exists(from)) {
        continue;
      }
      Path to = lib.resolve(n++ + "-" + from.getFileName());
      try (Stream<Path> all = Files.walk(from)) {
        for (Path p : all.toList()) {
          Path target = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(target);
          } else {
            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      copied.add(to.toString());
    }
    own(lib);
    classPath = copied;
    return classPath;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: it is a temporary directory.
    }
  }
}

package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.Repodata;
import io.watchsync.repo.testing.Unprivileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Repositories laid out as users lay them out (packages in nested directories, the same file name
 * in several of them), indexed by createrepo_c and by repo-builder: the metadata files must be the
 * same bytes, compressed ones included, so repomd.xml records the same checksums.
 */
class NestedTreeIT {
  /**
   * Where the fixture packages go: the same file name under a directory, its prefix siblings
   * ("a-b", "a.b" sort between "a" and "a/b" byte-wise) and an upper-case twin, arch directories at
   * two depths, and directory names that only look like what an exclude glob names.
   */
  private static final List<String> DIRECTORIES =
      List.of(
          "",
          "a",
          "a-b",
          "a.b",
          "a/b",
          "A",
          "Packages/a",
          "Packages/z",
          "noarch",
          "noarchy",
          "sub/noarch",
          "x86_64",
          "x/a",
          "SRPMS");

  @TempDir static Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  @Test
  void packagesInSubdirectoriesAreOrderedByFileNameThenDirectoryAsCreaterepoCOrdersThem()
      throws Exception {
    Path reference = work.resolve("order/createrepo_c");
    Path mine = work.resolve("order/repo-builder");
    nestedTree(reference);
    linkTree(reference, mine);

    CreaterepoCompatibilityIT.createrepo(reference, List.of());
    CreaterepoCompatibilityIT.index(mine, List.of());

    List<String> expected = new ArrayList<>(Repodata.packages(reference).keySet());
    assertEquals(expected, new ArrayList<>(Repodata.packages(mine).keySet()), "package order");
    assertNotEquals(
        expected.stream().sorted().toList(), expected, "the tree tells name and path order apart");
    CreaterepoCompatibilityIT.assertSameMetadataFiles(reference, mine);
  }

  @ParameterizedTest(name = "--excludes {0}")
  @ValueSource(strings = {"noarch", "a", "noarch*", "a/*", "x/a", "a?b*", "alpha*", "*.src.rpm"})
  void excludesLeaveOutDirectoriesByNameAndPackagesByNameOrPathAsCreaterepoCs(String glob)
      throws Exception {
    String name = "excludes-" + Integer.toHexString(glob.hashCode());
    Path reference = work.resolve(name + "/createrepo_c");
    Path mine = work.resolve(name + "/repo-builder");
    nestedTree(reference);
    linkTree(reference, mine);

    CreaterepoCompatibilityIT.createrepo(reference, List.of("--excludes", glob));
    CreaterepoCompatibilityIT.index(mine, List.of("--excludes", glob));

    assertEquals(
        new ArrayList<>(Repodata.packages(reference).keySet()),
        new ArrayList<>(Repodata.packages(mine).keySet()),
        "packages left after --excludes " + glob);
    CreaterepoCompatibilityIT.assertSameMetadataFiles(reference, mine);
  }

  /**
   * An honest reproduction: directories of mode 000, indexed by a user who may not open them (as
   * root the indexers run as nobody through setpriv, since root opens any directory). The hidden
   * one is one repo-builder never opens; lost+found is what every ext4 mount point has.
   */
  @Test
  void anUnreadableSubdirectoryIsSkippedWithAWarningAndTheRestIndexedAsByCreaterepoC()
      throws Exception {
    assumeTrue(Unprivileged.possible(), "running as root without setpriv");
    Path reference = work.resolve("unreadable/createrepo_c");
    Path mine = work.resolve("unreadable/repo-builder");
    List<Path> rpms = FixtureRpms.all();
    for (Path repo : List.of(reference, mine)) {
      for (String dir : List.of("ok", "ok/deeper", "locked", ".hidden", "lost+found")) {
        Files.createDirectories(repo.resolve(dir));
      }
      copy(rpms.get(0), repo.resolve("ok"));
      copy(rpms.get(1), repo.resolve("ok/deeper"));
      copy(rpms.get(2), repo);
      copy(rpms.get(3), repo.resolve("locked"));
      copy(rpms.get(4), repo.resolve(".hidden"));
      copy(rpms.get(5), repo.resolve("lost+found"));
      Unprivileged.own(repo);
      for (String dir : List.of("locked", ".hidden", "lost+found")) {
        Files.setPosixFilePermissions(
            repo.resolve(dir), PosixFilePermissions.fromString("---------"));
      }
    }
    try {
      Command theirs =
          Unprivileged.run(List.of("createrepo_c", "--no-database", reference.toString()))
              .ok("createrepo_c");
      assertTrue(theirs.err().contains("Cannot open directory"), theirs.err());

      Command ours = Unprivileged.repoBuilder("index", mine.toString());

      assertEquals(0, ours.exit(), "as createrepo_c: a warning, not a failure\n" + ours.err());
      assertEquals(
          List.of(
              "repo-builder index: warning: cannot open directory "
                  + mine.resolve("locked")
                  + ": permission denied",
              "repo-builder index: warning: cannot open directory "
                  + mine.resolve("lost+found")
                  + ": permission denied"),
          ours.err().lines().toList(),
          "the hidden directory is skipped without being opened");
      assertTrue(ours.out().contains(": 3 packages, 2 directories unreadable;"), ours.out());
      CreaterepoCompatibilityIT.assertSameMetadataFiles(reference, mine);
    } finally {
      for (Path repo : List.of(reference, mine)) {
        for (String dir : List.of("locked", ".hidden", "lost+found")) {
          Files.setPosixFilePermissions(
              repo.resolve(dir), PosixFilePermissions.fromString("rwx------"));
        }
      }
    }
  }

  /** Every fixture package in three of the directories, and all of them in "a", "a-b", "a/b". */
  static void nestedTree(Path repo) throws IOException {
    List<Path> rpms = FixtureRpms.all();
    for (int i = 0; i < rpms.size(); i++) {
      for (int k : new int[] {i, i + 5, i + 9}) {
        copy(rpms.get(i), repo.resolve(DIRECTORIES.get(k % DIRECTORIES.size())));
      }
      for (String dir : List.of("a", "a-b", "a/b")) {
        copy(rpms.get(i), repo.resolve(dir));
      }
    }
  }

  private static void copy(Path rpm, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.copy(
        rpm,
        dir.resolve(rpm.getFileName()),
        StandardCopyOption.COPY_ATTRIBUTES,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** Hard links, directory by directory, so both tools see the same files and times. */
  static void linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createLink(target, p);
        }
      }
    }
  }
}

package io.watchsync.repo.cli;

import static io.watchsync.repo.testing.FixtureRpms.ALPHA_1_0;
import static io.watchsync.repo.testing.FixtureRpms.ALPHA_1_0_SRC;
import static io.watchsync.repo.testing.FixtureRpms.ALPHA_1_1;
import static io.watchsync.repo.testing.FixtureRpms.ALPHA_1_1_SRC;
import static io.watchsync.repo.testing.FixtureRpms.BETA_2_0;
import static io.watchsync.repo.testing.FixtureRpms.BETA_EPOCH_1_1_0;
import static io.watchsync.repo.testing.FixtureRpms.GAMMA_1_0;
import static io.watchsync.repo.testing.FixtureRpms.GAMMA_1_0_RC1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.FixtureRpms;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repo-builder collect} run as a user would, on fake yum, dnf and dnf5 caches holding RPMs
 * built by the real rpmbuild.
 */
class CollectCommandIT {
  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  private int collect(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "collect";
    System.arraycopy(args, 0, all, 1, args.length);
    return RepoBuilderCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
  }

  /** Puts the fixture {@code rpm} into {@code packagesDir}, creating it. */
  private Path cache(Path packagesDir, String rpm) throws IOException {
    Files.createDirectories(packagesDir);
    return Files.copy(FixtureRpms.versionRpm(rpm), packagesDir.resolve(rpm));
  }

  private Path yumRepo(String repo) {
    return dir.resolve("cache/yum/x86_64/7").resolve(repo).resolve("packages");
  }

  private Path dnfRepo(String repo) {
    return dir.resolve("cache/dnf").resolve(repo + "-3f8a1c2b9d7e6f50").resolve("packages");
  }

  private Path dnf5Repo(String repo) {
    return dir.resolve("cache/libdnf5").resolve(repo + "-0c1d2e3f4a5b6c7d").resolve("packages");
  }

  private static List<String> lines(StringWriter w) {
    return w.toString().lines().toList();
  }

  private static Set<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Object inode(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino");
  }

  private static void assertSameBytes(Path expected, Path actual) throws IOException {
    assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual.toString());
  }

  @Test
  void aPackageCachedByTwoReposIsTakenOnce() throws IOException {
    Path fromYum = cache(yumRepo("base"), ALPHA_1_0);
    Path fromDnf = cache(dnfRepo("fedora"), ALPHA_1_0);
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    Path taken = repo.resolve(ALPHA_1_0);
    assertEquals(
        List.of(
            "skipped " + fromYum + ": duplicate of " + fromDnf,
            "taken " + fromDnf + " -> " + taken + " (hard link)",
            "collect: 1 taken, 1 skipped (1 duplicate), 0 rejected"),
        lines(out));
    assertEquals("", err.toString());
    assertEquals(Set.of(ALPHA_1_0), names(repo));
    assertSameBytes(fromDnf, taken);
  }

  @Test
  void withIndexTheCollectedDirectoryBecomesARepositoryListingEveryPackage() throws Exception {
    Path fromYum = cache(yumRepo("base"), ALPHA_1_0);
    cache(dnfRepo("updates"), BETA_2_0);
    Path repo = dir.resolve("repo");

    int exit =
        collect("--to", repo.toString(), "--from", dir.resolve("cache").toString(), "--index");

    assertEquals(0, exit, err.toString());
    List<String> printed = lines(out);
    assertEquals(
        "index: 2 packages (2 read, 0 reused); metadata in " + repo.resolve("repodata"),
        printed.get(printed.size() - 1));
    assertEquals(
        Set.of(ALPHA_1_0, BETA_2_0), io.watchsync.repo.testing.Repodata.packages(repo).keySet());
    assertTrue(fromYum.toFile().exists());

    out.getBuffer().setLength(0);
    assertEquals(
        0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString(), "--index"));
    printed = lines(out);
    assertEquals(
        "index: 2 packages (0 read, 2 reused); metadata in " + repo.resolve("repodata"),
        printed.get(printed.size() - 1));
  }

  @Test
  void takesPackagesFromTheYumDnfAndDnf5CacheLayouts() throws IOException {
    Path yum = cache(yumRepo("updates"), ALPHA_1_0);
    Path dnf = cache(dnfRepo("updates"), BETA_2_0);
    Path dnf5 = cache(dnf5Repo("updates"), GAMMA_1_0);
    Path repo = dir.resolve("repo");

    int exit =
        collect(
            "--to",
            repo.toString(),
            "--from",
            dir.resolve("cache/yum").toString(),
            "--from",
            dir.resolve("cache/dnf").toString(),
            "--from",
            dir.resolve("cache/libdnf5").toString());

    assertEquals(0, exit, err.toString());
    assertEquals(
        List.of(
            "taken " + yum + " -> " + repo.resolve(ALPHA_1_0) + " (hard link)",
            "taken " + dnf + " -> " + repo.resolve(BETA_2_0) + " (hard link)",
            "taken " + dnf5 + " -> " + repo.resolve(GAMMA_1_0) + " (hard link)",
            "collect: 3 taken, 0 skipped, 0 rejected"),
        lines(out));
    assertEquals(Set.of(ALPHA_1_0, BETA_2_0, GAMMA_1_0), names(repo));
    assertSameBytes(yum, repo.resolve(ALPHA_1_0));
    assertSameBytes(dnf, repo.resolve(BETA_2_0));
    assertSameBytes(dnf5, repo.resolve(GAMMA_1_0));
  }

  @Test
  void inACacheOnlyRpmsDirectlyInAPackagesDirectoryCount() throws IOException {
    cache(dnfRepo("fedora"), ALPHA_1_0);
    Path cacheRoot = dir.resolve("cache/dnf/fedora-3f8a1c2b9d7e6f50");
    Files.copy(FixtureRpms.versionRpm(BETA_2_0), cacheRoot.resolve(BETA_2_0));
    Files.createDirectories(cacheRoot.resolve("packages/old"));
    Files.copy(
        FixtureRpms.versionRpm(GAMMA_1_0), cacheRoot.resolve("packages/old").resolve(GAMMA_1_0));
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(Set.of(ALPHA_1_0), names(repo));
    assertEquals("collect: 1 taken, 0 skipped, 0 rejected", lines(out).get(lines(out).size() - 1));
  }

  @Test
  void aPlainDirectoryOfRpmsIsSearchedAtAnyDepth() throws IOException {
    Path plain = dir.resolve("downloads");
    cache(plain, ALPHA_1_0);
    cache(plain.resolve("x/y"), BETA_2_0);
    Files.writeString(plain.resolve("README"), "not an rpm, not even named like one");
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", plain.toString()), err.toString());

    assertEquals(Set.of(ALPHA_1_0, BETA_2_0), names(repo));
  }

  @Test
  void symbolicLinksInACacheAreNotFollowed() throws IOException {
    Path elsewhere = dir.resolve("elsewhere/packages");
    cache(elsewhere, BETA_2_0);
    Path packages = dnfRepo("fedora");
    cache(packages, ALPHA_1_0);
    Files.createSymbolicLink(packages.resolve(GAMMA_1_0), FixtureRpms.versionRpm(GAMMA_1_0));
    Files.createSymbolicLink(dir.resolve("cache/dnf/linked-0000"), elsewhere.getParent());
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(Set.of(ALPHA_1_0), names(repo));
  }

  @Test
  void aCorruptTruncatedOrFakeRpmIsRejectedAndTheRunGoesOn() throws IOException {
    Path packages = dnfRepo("updates");
    Path good = cache(packages, ALPHA_1_0);
    byte[] beta = Files.readAllBytes(FixtureRpms.versionRpm(BETA_2_0));
    Path truncated = packages.resolve(BETA_2_0);
    Files.write(truncated, Arrays.copyOf(beta, beta.length - 3000));
    Path flipped = packages.resolve(GAMMA_1_0);
    byte[] gamma = Files.readAllBytes(FixtureRpms.versionRpm(GAMMA_1_0));
    gamma[gamma.length - 100] ^= (byte) 0xff;
    Files.write(flipped, gamma);
    Path text = Files.writeString(packages.resolve("x.rpm"), "this is not a package\n");
    Path repo = dir.resolve("repo");

    assertEquals(1, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(
        List.of(
            "rejected " + truncated + ": truncated: 3000 bytes of payload missing",
            "rejected " + flipped + ": corrupt: the payload does not match its SHA-256 digest",
            "rejected " + text + ": not an RPM (no RPM lead)"),
        lines(err));
    assertEquals(
        List.of(
            "taken " + good + " -> " + repo.resolve(ALPHA_1_0) + " (hard link)",
            "collect: 1 taken, 0 skipped, 3 rejected"),
        lines(out));
    assertEquals(Set.of(ALPHA_1_0), names(repo));
  }

  @Test
  void aFileAlreadyInTheTargetWithTheSameContentIsSkippedAsAlreadyPresent() throws IOException {
    Path alpha = cache(yumRepo("base"), ALPHA_1_0);
    Path beta = cache(yumRepo("base"), BETA_2_0);
    Path repo = dir.resolve("repo");
    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));
    out.getBuffer().setLength(0);

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(
        List.of(
            "skipped " + alpha + ": already present as " + repo.resolve(ALPHA_1_0),
            "skipped " + beta + ": already present as " + repo.resolve(BETA_2_0),
            "collect: 0 taken, 2 skipped (2 already present), 0 rejected"),
        lines(out));
    assertEquals("", err.toString());
  }

  @Test
  void aDifferentFileOfTheSameNameInTheTargetIsNeverOverwritten() throws IOException {
    Path alpha = cache(dnfRepo("fedora"), ALPHA_1_0);
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Path existing = Files.copy(FixtureRpms.rebuiltAlpha10(), repo.resolve(ALPHA_1_0));

    assertEquals(1, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(
        List.of(
            "rejected "
                + alpha
                + ": "
                + existing
                + " already exists with different content; not overwritten"),
        lines(err));
    assertEquals(List.of("collect: 0 taken, 0 skipped, 1 rejected"), lines(out));
    assertSameBytes(FixtureRpms.rebuiltAlpha10(), existing);
    assertEquals(Set.of(ALPHA_1_0), names(repo));
  }

  @Test
  void twoDifferentPackagesOfTheSameFileNameInTwoCachesAreAConflict() throws IOException {
    Path first = cache(dnfRepo("a-repo"), ALPHA_1_0);
    Path packages = Files.createDirectories(dnfRepo("b-repo"));
    Path second = Files.copy(FixtureRpms.rebuiltAlpha10(), packages.resolve(ALPHA_1_0));
    Path repo = dir.resolve("repo");

    assertEquals(1, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(
        List.of(
            "rejected "
                + second
                + ": "
                + repo.resolve(ALPHA_1_0)
                + " already exists with different content; not overwritten"),
        lines(err));
    assertSameBytes(first, repo.resolve(ALPHA_1_0));
  }

  @Test
  void onTheSameFileSystemPackagesAreHardLinked() throws IOException {
    Path alpha = cache(dnfRepo("fedora"), ALPHA_1_0);
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(inode(alpha), inode(repo.resolve(ALPHA_1_0)));
  }

  @Test
  void onAnotherFileSystemPackagesAreCopiedByteForByte() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no /dev/shm");
    Path alpha = cache(dnfRepo("fedora"), ALPHA_1_0);
    Path beta = cache(dnfRepo("fedora"), BETA_2_0);
    Path repo = Files.createTempDirectory(shm, "collect-test");
    try {
      assumeTrue(
          !Files.getAttribute(repo, "unix:dev").equals(Files.getAttribute(alpha, "unix:dev")),
          "/dev/shm is on the same file system as the temporary directory");

      assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

      assertEquals(
          List.of(
              "taken " + alpha + " -> " + repo.resolve(ALPHA_1_0) + " (copy)",
              "taken " + beta + " -> " + repo.resolve(BETA_2_0) + " (copy)",
              "collect: 2 taken, 0 skipped, 0 rejected"),
          lines(out));
      assertEquals(Set.of(ALPHA_1_0, BETA_2_0), names(repo), "no temporary file is left");
      assertSameBytes(alpha, repo.resolve(ALPHA_1_0));
      assertSameBytes(beta, repo.resolve(BETA_2_0));
      assertNotEquals(inode(alpha), inode(repo.resolve(ALPHA_1_0)));
    } finally {
      try (Stream<Path> s = Files.walk(repo)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void newestOnlyKeepsTheNewestVersionOfEachNameAndArchComparingEpochsAndTildes()
      throws IOException {
    Path base = yumRepo("base");
    Path updates = dnfRepo("updates");
    Path alpha10 = cache(base, ALPHA_1_0);
    Path alpha10Src = cache(base, ALPHA_1_0_SRC);
    Path beta20 = cache(base, BETA_2_0);
    Path gammaRc = cache(base, GAMMA_1_0_RC1);
    Path alpha11 = cache(updates, ALPHA_1_1);
    Path alpha11Src = cache(updates, ALPHA_1_1_SRC);
    Path betaEpoch = cache(updates, BETA_EPOCH_1_1_0);
    Path gamma10 = cache(updates, GAMMA_1_0);
    Path repo = dir.resolve("repo");

    int exit =
        collect(
            "--to",
            repo.toString(),
            "--newest-only",
            "--from",
            dir.resolve("cache/yum").toString(),
            "--from",
            dir.resolve("cache/dnf").toString());

    assertEquals(0, exit, err.toString());
    assertEquals(
        List.of(
            "skipped " + alpha10 + ": older than alpha-1.1-1.noarch (" + alpha11 + ")",
            "skipped " + alpha10Src + ": older than alpha-1.1-1.src (" + alpha11Src + ")",
            "skipped " + beta20 + ": older than beta-1:1.0-1.noarch (" + betaEpoch + ")",
            "skipped " + gammaRc + ": older than gamma-1.0-1.noarch (" + gamma10 + ")",
            "taken " + alpha11 + " -> " + repo.resolve(ALPHA_1_1) + " (hard link)",
            "taken " + alpha11Src + " -> " + repo.resolve(ALPHA_1_1_SRC) + " (hard link)",
            "taken " + betaEpoch + " -> " + repo.resolve(BETA_EPOCH_1_1_0) + " (hard link)",
            "taken " + gamma10 + " -> " + repo.resolve(GAMMA_1_0) + " (hard link)",
            "collect: 4 taken, 4 skipped (4 older versions), 0 rejected"),
        lines(out));
    assertEquals(Set.of(ALPHA_1_1, ALPHA_1_1_SRC, BETA_EPOCH_1_1_0, GAMMA_1_0), names(repo));
  }

  @Test
  void withoutNewestOnlyEveryVersionIsTaken() throws IOException {
    cache(yumRepo("base"), ALPHA_1_0);
    cache(yumRepo("base"), GAMMA_1_0_RC1);
    cache(dnfRepo("updates"), ALPHA_1_1);
    cache(dnfRepo("updates"), GAMMA_1_0);
    Path repo = dir.resolve("repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(Set.of(ALPHA_1_0, ALPHA_1_1, GAMMA_1_0_RC1, GAMMA_1_0), names(repo));
  }

  @Test
  void theTargetIsCreatedWhenMissing() throws IOException {
    cache(dnfRepo("fedora"), ALPHA_1_0);
    Path repo = dir.resolve("srv/deep/repo");

    assertEquals(0, collect("--to", repo.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(Set.of(ALPHA_1_0), names(repo));
  }

  @Test
  void aTargetInsideTheSearchedTreeIsNotSearched() throws IOException {
    Path plain = dir.resolve("downloads");
    cache(plain, ALPHA_1_0);
    Path repo = plain.resolve("collected");
    assertEquals(0, collect("--to", repo.toString(), "--from", plain.toString()));
    out.getBuffer().setLength(0);

    assertEquals(0, collect("--to", repo.toString(), "--from", plain.toString()));

    assertEquals(
        List.of(
            "skipped "
                + plain.resolve(ALPHA_1_0)
                + ": already present as "
                + repo.resolve(ALPHA_1_0),
            "collect: 0 taken, 1 skipped (1 already present), 0 rejected"),
        lines(out));
  }

  @Test
  void aFromDirectoryThatDoesNotExistIsAUsageErrorNamingIt() {
    Path missing = dir.resolve("no-such-cache");

    assertEquals(2, collect("--to", dir.resolve("repo").toString(), "--from", missing.toString()));

    assertEquals(
        "repo-builder collect: --from " + missing + ": no such directory\n", err.toString());
    assertEquals("", out.toString());
    assertFalse(Files.exists(dir.resolve("repo")), "nothing is created on a usage error");
  }

  @Test
  void aTargetThatIsAFileIsAUsageError() throws IOException {
    Path file = Files.writeString(dir.resolve("repo"), "a file");
    Files.createDirectories(dir.resolve("cache"));

    assertEquals(2, collect("--to", file.toString(), "--from", dir.resolve("cache").toString()));

    assertEquals(
        "repo-builder collect: --to " + file + ": exists and is not a directory\n", err.toString());
  }

  @Test
  void missingToIsAUsageError() {
    assertEquals(2, collect("--from", dir.toString()));
    assertTrue(err.toString().contains("Missing required option: '--to=DIR'"), err.toString());
  }

  @Test
  void emptyCachesSucceedWithAWarningAboutKeepcache() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("cache/dnf/fedora-1234/packages"));
    Path cacheRoot = dir.resolve("cache");

    assertEquals(
        0, collect("--to", dir.resolve("repo").toString(), "--from", cacheRoot.toString()));

    assertEquals(List.of("collect: 0 taken, 0 skipped, 0 rejected"), lines(out));
    assertEquals(
        List.of(
            "repo-builder collect: warning: no RPMs found in "
                + cacheRoot
                + " (dnf keeps downloaded packages only with keepcache=1 in /etc/dnf/dnf.conf)"),
        lines(err));
    assertTrue(Files.isDirectory(empty));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    assertEquals(0, collect("--help"));

    HelpText.assertMentions(
        out.toString(),
        "--to=DIR Where to collect the RPMs; created if missing (required, no default).",
        "--from=CACHE_DIR A directory to search; repeat for several (default: those of"
            + " /var/cache/yum, /var/cache/dnf and /var/cache/libdnf5 that exist).",
        "--newest-only Keep only the newest version of each name.arch",
        "(default: off, every version is taken)",
        "-h, --help");
  }
}

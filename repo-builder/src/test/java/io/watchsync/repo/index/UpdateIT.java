package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.metadata.PackageMetadata;
import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.Repodata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --update reads only new and changed packages, and ends where a full index would. */
class UpdateIT {
  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private static IndexReport index(Path repo, boolean update) throws IndexException {
    return new RepoIndexer(IndexOptions.defaults().withUpdate(update), ProgressListener.NONE)
        .index(repo);
  }

  @Test
  void anUpdateWithNothingChangedReusesEveryPackageAndChangesNoEntry() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    index(repo, false);
    Map<String, PackageMetadata> before = Repodata.packages(repo);
    byte[] primaryBefore = Repodata.open(repo, "primary");

    IndexReport report = index(repo, true);

    assertEquals(before.size(), report.reused());
    assertEquals(0, report.read());
    Repodata.assertSamePackages(before, Repodata.packages(repo));
    assertEquals(new String(primaryBefore), new String(Repodata.open(repo, "primary")));
  }

  @Test
  void anUpdateRereadsChangedPackagesDropsRemovedOnesAndAddsNewOnes() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    List<Path> fixtures = FixtureRpms.all();
    Path removed = repo.resolve(fixtures.get(0).getFileName());
    Path touched = repo.resolve(fixtures.get(1).getFileName());
    Path added = fixtures.get(2);
    Files.delete(repo.resolve(added.getFileName()));
    index(repo, false);

    Files.delete(removed);
    Files.setLastModifiedTime(touched, FileTime.fromMillis(1_700_000_000_000L));
    Files.createDirectories(repo.resolve("Packages"));
    Files.copy(added, repo.resolve("Packages").resolve(added.getFileName()));
    IndexReport report = index(repo, true);

    assertEquals(2, report.read(), "the touched and the added package are read again");
    assertEquals(fixtures.size() - 3, report.reused(), "all but the removed, touched and added");
    Map<String, PackageMetadata> updated = Repodata.packages(repo);
    assertFalse(updated.containsKey(removed.getFileName().toString()));
    assertTrue(updated.containsKey("Packages/" + added.getFileName()));
    assertEquals(1_700_000_000L, updated.get(touched.getFileName().toString()).timeFile());

    Path fresh = work.resolve("fresh");
    Files.createDirectories(fresh);
    CreaterepoCompatibilityIT.linkTree(repo, fresh);
    Files.createDirectories(fresh.resolve("Packages"));
    Files.createLink(
        fresh.resolve("Packages").resolve(added.getFileName()),
        repo.resolve("Packages").resolve(added.getFileName()));
    index(fresh, false);
    Repodata.assertSamePackages(Repodata.packages(fresh), updated);
  }

  @Test
  void anUpdateWithAnotherChecksumTypeRereadsEveryPackage() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    index(repo, false);
    IndexOptions sha512 =
        new IndexOptions(true, 2, Compression.GZ, ChecksumType.SHA512, null, 10, List.of());

    IndexReport report = new RepoIndexer(sha512, ProgressListener.NONE).index(repo);

    assertEquals(0, report.reused());
    for (PackageMetadata p : Repodata.packages(repo).values()) {
      assertEquals("sha512", p.checksumType());
      assertEquals(128, p.pkgid().length());
    }
  }

  @Test
  void anUpdateOfARepositoryWithoutMetadataIndexesEverything() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    RepoBuilder run = RepoBuilder.run("index", "--update", repo.toString());
    assertEquals(0, run.exit(), run.toString());
    assertTrue(run.out().contains("(" + FixtureRpms.all().size() + " read, 0 reused)"), run.out());
  }

  @Test
  void theSamePackageUnderTwoNamesKeepsBothEntriesThroughAnUpdate() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    Path first = repo.resolve(FixtureRpms.all().get(0).getFileName());
    Files.copy(
        first,
        repo.resolve("copy-of-" + first.getFileName()),
        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    index(repo, false);
    Map<String, PackageMetadata> before = Repodata.packages(repo);
    assertEquals(FixtureRpms.all().size() + 1, before.size());

    IndexReport report = index(repo, true);

    assertEquals(before.size(), report.reused(), "both names reused");
    Repodata.assertSamePackages(before, Repodata.packages(repo));
  }

  @Test
  void anUpdateWithAnotherBaseUrlRereadsEveryPackage() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    index(repo, false);
    IndexOptions mirror =
        new IndexOptions(
            true, 2, Compression.GZ, ChecksumType.SHA256, "http://mirror/el9/", 10, List.of());

    IndexReport report = new RepoIndexer(mirror, ProgressListener.NONE).index(repo);

    assertEquals(0, report.reused());
    for (PackageMetadata p : Repodata.packages(repo).values()) {
      assertEquals("http://mirror/el9/", p.locationBase());
    }
  }

  @Test
  void anUpdateOverMetadataWhosePackagesDoNotLineUpRereadsEveryPackage() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    index(repo, false);
    // Another tool rewrote other.xml with one package less: the entries no longer line up.
    Repomd.Record other = Repodata.repomd(repo).record("other");
    String doc = new String(Repodata.open(repo, "other"), java.nio.charset.StandardCharsets.UTF_8);
    String shorter = doc.replaceFirst("(?s)<package .*?</package>\n", "");
    try (var out =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(repo.resolve(other.location())))) {
      out.write(shorter.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    IndexReport report = index(repo, true);

    assertEquals(0, report.reused());
    assertEquals(FixtureRpms.all().size(), report.read());
    assertEquals(FixtureRpms.all().size(), Repodata.packages(repo).size());
  }

  /** A number that is not one (another tool's bug, a bad edit) is no reason to stop either. */
  @Test
  void anUpdateOverMetadataWithAMalformedEntryRereadsEveryPackage() throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    index(repo, false);
    Repomd.Record primary = Repodata.repomd(repo).record("primary");
    String doc =
        new String(Repodata.open(repo, "primary"), java.nio.charset.StandardCharsets.UTF_8);
    String malformed = doc.replaceFirst("<size package=\"\\d+\"", "<size package=\"x1\"");
    try (var out =
        new java.util.zip.GZIPOutputStream(
            Files.newOutputStream(repo.resolve(primary.location())))) {
      out.write(malformed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    IndexReport report = index(repo, true);

    assertEquals(0, report.reused());
    assertEquals(FixtureRpms.all().size(), report.read());
    assertEquals(FixtureRpms.all().size(), Repodata.packages(repo).size());
  }

  @Test
  void escapedHrefsAreMatchedToTheirFiles() {
    assertEquals(
        "a&b <c> \"d\" é", PreviousMetadata.unescape("a&amp;b &lt;c&gt; &quot;d&quot; &#xE9;"));
    assertEquals("plain.rpm", PreviousMetadata.unescape("plain.rpm"));
  }
}

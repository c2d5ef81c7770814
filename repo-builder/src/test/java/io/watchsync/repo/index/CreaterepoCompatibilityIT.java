package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.cli.RepoBuilderCommand;
import io.watchsync.repo.metadata.PackageMetadata;
import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.Repodata;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Indexes the fixture packages with createrepo_c and with repo-builder, with the same options, and
 * compares the two repositories package by package, field by field, then byte by byte.
 */
class CreaterepoCompatibilityIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir static Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  static Stream<Arguments> optionSets() {
    return Stream.of(
        Arguments.of("defaults", List.of(), List.of()),
        Arguments.of("sha512", List.of("--checksum", "sha512"), List.of("--checksum", "sha512")),
        Arguments.of("sha1", List.of("--checksum", "sha1"), List.of("--checksum", "sha1")),
        Arguments.of(
            "baseurl",
            List.of("--baseurl", "http://mirror.example.org/el9/x86_64/"),
            List.of("--baseurl", "http://mirror.example.org/el9/x86_64/")),
        Arguments.of(
            "changelog-limit-2",
            List.of("--changelog-limit", "2"),
            List.of("--changelog-limit", "2")),
        Arguments.of(
            "changelog-limit-all",
            List.of("--changelog-limit", "-1"),
            List.of("--changelog-limit", "-1")),
        Arguments.of(
            "excludes",
            List.of("--excludes", "beta*", "--excludes", "*.src.rpm"),
            List.of("--excludes", "beta*", "--excludes", "*.src.rpm")),
        Arguments.of("xz", List.of("--compress", "xz"), List.of("--compress-type", "xz")),
        // Debian's createrepo_c 0.17 is built without zstd: its gz output is the reference.
        Arguments.of("zstd", List.of("--compress", "zstd"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionSets")
  void everyPackageMatchesCreaterepoCFieldByField(
      String name, List<String> ours, List<String> theirs) throws Exception {
    Path reference = work.resolve(name + "/createrepo_c");
    Path mine = work.resolve(name + "/repo-builder");
    FixtureRpms.copyInto(reference);
    linkTree(reference, mine);

    createrepo(reference, theirs);
    index(mine, ours);

    Map<String, PackageMetadata> expected = Repodata.packages(reference);
    Map<String, PackageMetadata> actual = Repodata.packages(mine);
    assertTrue(expected.size() >= 3, "fixtures indexed by createrepo_c: " + expected.keySet());
    Repodata.assertSamePackages(expected, actual);
  }

  @Test
  void theOpenMetadataIsByteForByteWhatCreaterepoCWrites() throws Exception {
    Path reference = work.resolve("bytes/createrepo_c");
    Path mine = work.resolve("bytes/repo-builder");
    FixtureRpms.copyInto(reference);
    linkTree(reference, mine);
    createrepo(reference, List.of());
    index(mine, List.of());
    for (String type : List.of("primary", "filelists", "other")) {
      byte[] expected = Repodata.open(reference, type);
      byte[] actual = Repodata.open(mine, type);
      assertEquals(
          new String(expected, StandardCharsets.UTF_8),
          new String(actual, StandardCharsets.UTF_8),
          type);
      assertArrayEquals(expected, actual, type);
      assertEquals(
          Repodata.repomd(reference).record(type).openChecksum(),
          Repodata.repomd(mine).record(type).openChecksum(),
          type + " open-checksum in repomd.xml");
    }
  }

  @Test
  void theGzipHeaderSaysUnixAsZlibWritesItSoCompressedFilesAreCreaterepoCs() throws Exception {
    Path reference = work.resolve("gzip/createrepo_c");
    Path mine = work.resolve("gzip/repo-builder");
    FixtureRpms.copyInto(reference);
    linkTree(reference, mine);

    CreaterepoCompatibilityIT.createrepo(reference, List.of());
    CreaterepoCompatibilityIT.index(mine, List.of());

    for (String type : List.of("primary", "filelists", "other")) {
      byte[] header = Files.readAllBytes(metadataFile(mine, type));
      // ID1 ID2 CM FLG, MTIME 0, XFL 0, OS 3 (Unix): what zlib's gzopen writes.
      byte[] zlib = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
      assertArrayEquals(zlib, java.util.Arrays.copyOf(header, 10), type + " gzip header");
    }
    assertSameMetadataFiles(reference, mine);
  }

  static void createrepo(Path repo, List<String> options) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("createrepo_c", "--quiet", "--no-database"));
    cmd.addAll(options);
    cmd.add(repo.toString());
    Command.run(DEADLINE, cmd).ok("createrepo_c " + options);
  }

  static void index(Path repo, List<String> options) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("index"));
    args.addAll(options);
    args.add(repo.toString());
    int exit =
        RepoBuilderCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    assertEquals(0, exit, "repo-builder " + args + "\nstdout: " + out + "\nstderr: " + err);
  }

  /** Hard links, so both tools see the same files with the same modification times. */
  static void linkTree(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.createLink(to.resolve(p.getFileName()), p);
      }
    }
  }

  /** primary, filelists and other: the same compressed bytes, and repomd.xml says so. */
  static void assertSameMetadataFiles(Path reference, Path mine) throws IOException {
    for (String type : List.of("primary", "filelists", "other")) {
      assertEquals(
          new String(Repodata.open(reference, type), StandardCharsets.UTF_8),
          new String(Repodata.open(mine, type), StandardCharsets.UTF_8),
          type + " (open)");
      assertArrayEquals(
          Files.readAllBytes(metadataFile(reference, type)),
          Files.readAllBytes(metadataFile(mine, type)),
          type + " (compressed)");
      Repomd.Record expected = Repodata.repomd(reference).record(type);
      Repomd.Record actual = Repodata.repomd(mine).record(type);
      assertEquals(expected.checksum(), actual.checksum(), type + " checksum in repomd.xml");
      assertEquals(expected.location(), actual.location(), type + " location in repomd.xml");
      assertEquals(expected.size(), actual.size(), type + " size in repomd.xml");
    }
  }

  private static Path metadataFile(Path repo, String type) throws IOException {
    return repo.resolve(Repodata.repomd(repo).record(type).location());
  }
}

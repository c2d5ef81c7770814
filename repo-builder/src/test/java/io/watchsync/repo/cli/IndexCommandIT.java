package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.Unprivileged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index command's options, messages and exit codes. */
class IndexCommandIT {
  @TempDir Path dir;

  @Test
  void helpListsEveryOptionWithItsDefault() {
    RepoBuilder run = RepoBuilder.run("index", "--help");
    assertEquals(0, run.exit());
    HelpText.assertMentions(
        run.out(),
        "--update",
        "--workers",
        "--compress",
        "--checksum",
        "--baseurl",
        "--changelog-limit",
        "--excludes",
        "--quiet",
        "(default: gz)",
        "(default: sha256)",
        "(default: 10)");
  }

  @Test
  void theTopLevelHelpListsIndex() {
    RepoBuilder run = RepoBuilder.run("--help");
    assertTrue(run.out().lines().anyMatch(l -> l.matches(" +index .*")), run.out());
  }

  @Test
  void anUnknownCompressionIsAUsageErrorNamingTheValue() {
    RepoBuilder run = RepoBuilder.run("index", "--compress", "bz2", dir.toString());
    assertEquals(2, run.exit());
    assertEquals("repo-builder index: --compress 'bz2': use gz, xz or zstd\n", run.err());
    assertFalse(Files.exists(dir.resolve("repodata")), "nothing written");
  }

  @Test
  void anUnknownChecksumIsAUsageErrorNamingTheValue() {
    RepoBuilder run = RepoBuilder.run("index", "--checksum", "md5", dir.toString());
    assertEquals(2, run.exit());
    assertEquals("repo-builder index: --checksum 'md5': use sha256, sha512 or sha1\n", run.err());
  }

  @Test
  void aMissingDirectoryIsAUsageErrorNamingIt() {
    Path missing = dir.resolve("nope");
    RepoBuilder run = RepoBuilder.run("index", missing.toString());
    assertEquals(2, run.exit());
    assertEquals("repo-builder index: " + missing + ": no such directory\n", run.err());
  }

  @Test
  void anExistingFileIsNotADirectoryRatherThanNoSuchDirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("packages.txt"), "not a repository\n");
    RepoBuilder run = RepoBuilder.run("index", file.toString());
    assertEquals(2, run.exit());
    assertEquals("repo-builder index: " + file + ": not a directory\n", run.err());
  }

  @Test
  void aRepodataThatCannotBeCreatedSaysWhy() throws Exception {
    Files.writeString(dir.resolve("repodata"), "a file where the directory goes\n");
    RepoBuilder run = RepoBuilder.run("index", dir.toString());
    assertEquals(1, run.exit());
    assertEquals(
        "repo-builder index: cannot create " + dir.resolve("repodata") + ": a file is in the way\n",
        run.err());
  }

  /** As a user who may not write there (as root, nobody through setpriv: root writes anywhere). */
  @Test
  void aRepodataInAReadOnlyDirectorySaysPermissionDenied() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Unprivileged.possible(), "running as root without setpriv");
    Path repo = Files.createDirectories(dir.resolve("read-only"));
    Unprivileged.own(repo);
    Files.setPosixFilePermissions(repo, PosixFilePermissions.fromString("r-xr-xr-x"));
    Command run = Unprivileged.repoBuilder("index", repo.toString());
    assertEquals(1, run.exit(), run.err());
    assertEquals(
        "repo-builder index: cannot create " + repo.resolve("repodata") + ": permission denied\n",
        run.err());
  }

  @Test
  void aFileNameWithANewlineIsShownEscapedOnOneLine() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("new\nrepo"));
    Files.writeString(repo.resolve("notes\nmore.rpm"), "not an RPM\n");
    RepoBuilder run = RepoBuilder.run("index", repo.toString());
    assertEquals(1, run.exit(), run.toString());
    String shown = dir + "/new\\nrepo";
    assertEquals(
        "repo-builder index: rejected " + shown + "/notes\\nmore.rpm: not an RPM (no RPM lead)\n",
        run.err());
    assertEquals(
        shown + ": 0 packages, 1 rejected; metadata in " + shown + "/repodata\n", run.out());
  }

  @Test
  void noWorkersIsAUsageError() {
    RepoBuilder run = RepoBuilder.run("index", "--workers", "0", dir.toString());
    assertEquals(2, run.exit());
    assertEquals("repo-builder index: --workers 0: use 1 or more\n", run.err());
  }

  @Test
  void anEmptyDirectoryGetsValidEmptyMetadataAndNoProgressOffATerminal() throws Exception {
    RepoBuilder run = RepoBuilder.run("index", dir.toString());
    assertEquals(0, run.exit(), run.toString());
    assertEquals(dir + ": 0 packages; metadata in " + dir.resolve("repodata") + "\n", run.out());
    assertEquals("", run.err(), "no progress display when not on a terminal");
    assertTrue(Files.isRegularFile(dir.resolve("repodata/repomd.xml")));
  }

  @Test
  void quietPrintsNothingOnSuccess() {
    RepoBuilder run = RepoBuilder.run("index", "--quiet", dir.toString());
    assertEquals(0, run.exit(), run.toString());
    assertEquals("", run.out() + run.err());
  }

  @Test
  void onATerminalProgressIsShownOnOneLineAndClearedAtTheEnd() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        io.watchsync.repo.testing.Command.available("script"), "script (util-linux) is missing");
    io.watchsync.repo.testing.FixtureRpms.copyInto(dir);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        String.join(
            " ",
            javaBin,
            "-cp",
            "'" + System.getProperty("java.class.path") + "'",
            RepoBuilderCommand.class.getName(),
            "index",
            "'" + dir + "'");
    // script(1) runs the command on a pseudo-terminal, as an administrator would.
    io.watchsync.repo.testing.Command run =
        io.watchsync.repo.testing.Command.run(
                java.time.Duration.ofMinutes(2), "script", "-qec", command, "/dev/null")
            .ok("repo-builder index on a terminal");
    int packages = io.watchsync.repo.testing.FixtureRpms.all().size();
    assertTrue(
        run.out().contains("\rindexing " + packages + "/" + packages + " packages"), run.out());
    assertTrue(run.out().contains("\r\033[K"), "the progress line is cleared: " + run.out());
    assertTrue(run.out().contains(dir + ": " + packages + " packages"), run.out());
  }
}

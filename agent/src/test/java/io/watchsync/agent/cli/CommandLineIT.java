package io.watchsync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.testing.RsyncDaemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them: exit codes and what they print. */
@EnabledOnOs(OS.LINUX)
class CommandLineIT {
  @TempDir Path work;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return WatchsyncCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void versionPrintsTheProjectVersionAndTheRuntime() {
    assertEquals(0, run("version"));
    assertTrue(out.toString().startsWith("watchsync "), out::toString);
    assertTrue(out.toString().contains("Java"), out::toString);
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"run", "check", "watch", "status", "sync-now", "version"}) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(command, "--help"), command);
      assertTrue(out.toString().contains("Usage: watchsync " + command), out::toString);
    }
    assertEquals(0, run("--help"));
  }

  @Test
  void noCommandIsAUsageError() {
    assertEquals(2, run());
  }

  @Test
  void checkPassesOnAHealthySetupAndReportsEachItem() throws Exception {
    Path source = Files.createDirectories(work.resolve("source/a/b"));
    try (RsyncDaemon daemon = RsyncDaemon.start(Files.createDirectories(work.resolve("d")))) {
      int code =
          run(
              "check",
              "--source",
              work.resolve("source").toString(),
              "--target",
              daemon.url(),
              "--password-file",
              daemon.clientPasswordFile().toString(),
              "--state-dir",
              work.resolve("state").toString());
      assertEquals(0, code, out + "\n" + err);
      String report = out.toString();
      assertTrue(report.contains("rsync"), report);
      assertTrue(report.contains("inotify"), report);
      assertTrue(report.contains("all checks passed"), report);
      assertFalse(report.contains(daemon.password()), "the password is never printed");
      assertTrue(Files.isDirectory(source));
    }
  }

  @Test
  void checkFailsOnACallbackTokenFileOthersCanReadWithoutPrintingTheToken() throws Exception {
    Path source = Files.createDirectories(work.resolve("source"));
    Path replica = Files.createDirectories(work.resolve("replica"));
    Path token = work.resolve("hook.token");
    Files.writeString(token, "token-value\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r-----"));
    Path config = work.resolve("watchsync.yml");
    Files.writeString(
        config,
        "source: "
            + source
            + "\nstate_dir: "
            + work.resolve("state")
            + "\ntargets: ["
            + replica
            + "]\ncallbacks:\n  - url: http://127.0.0.1:1/hook\n    token_file: "
            + token
            + "\n");
    int code = run("check", "-c", config.toString());
    assertEquals(1, code, out + "\n" + err);
    assertTrue(
        out.toString()
            .contains(
                "FAIL  callback http://127.0.0.1:1/hook token file: callbacks[0].token_file: "
                    + token
                    + " can be read by others (rw-r-----); chmod 600 "
                    + token),
        out::toString);
    assertFalse(out.toString().contains("token-value"), "the token is never printed");
  }

  @Test
  void checkWarnsAboutAGroupReadablePasswordFileAndFailsOnAnUnreachableTarget() throws Exception {
    Files.createDirectories(work.resolve("source"));
    Path pw = work.resolve("pw");
    Files.writeString(pw, "secret-value\n");
    Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r-----"));
    int code =
        run(
            "check",
            "--source",
            work.resolve("source").toString(),
            "--target",
            "rsync://u@127.0.0.1:1/nothing",
            "--password-file",
            pw.toString(),
            "--state-dir",
            work.resolve("state").toString());
    assertEquals(1, code, out + "\n" + err);
    assertTrue(
        out.toString()
            .contains(
                "WARN  127.0.0.1 password file: "
                    + pw
                    + ": its group can read it; rsync accepts that, but chmod 600 keeps it"
                    + " private"),
        out::toString);
    assertTrue(
        out.toString().contains("FAIL  127.0.0.1 (rsync://u@127.0.0.1:1/nothing)"), out::toString);
    assertTrue(out.toString().contains("1 check(s) failed"), out::toString);
    assertFalse(out.toString().contains("secret-value"), "the password is never printed");
  }

  @Test
  void checkWarnsAboutAnEmptySourceWithoutFailing() throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty"));
    Path replica = Files.createDirectories(work.resolve("replica"));
    int code =
        run(
            "check",
            "--source",
            empty.toString(),
            "--target",
            replica.toString(),
            "--state-dir",
            work.resolve("state").toString());
    assertEquals(0, code, out + "\n" + err);
    assertTrue(out.toString().contains("and empty: is its file system mounted?"), out::toString);
  }

  @Test
  void checkFailsForATargetWhoseTreeHasANewerGeneration() throws Exception {
    Path source = Files.createDirectories(work.resolve("old-primary"));
    Path replica = Files.createDirectories(work.resolve("promoted"));
    Files.writeString(source.resolve(".watchsync-generation"), "1 nfs1\n");
    Files.writeString(replica.resolve(".watchsync-generation"), "2 nfs2\n");

    int code =
        run(
            "check",
            "--source",
            source.toString(),
            "--target",
            replica.toString(),
            "--state-dir",
            work.resolve("state").toString());

    assertEquals(1, code, out + "\n" + err);
    assertTrue(
        out.toString()
            .contains(
                "reachable, but split-brain guard: the target's tree is at generation 2 (raised by"
                    + " nfs2), newer than this source's 1 (raised by nfs1)"),
        out::toString);
  }

  @Test
  void generationShowsAndRaisesTheTreesGeneration() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));

    assertEquals(0, run("generation", "--source", tree.toString()), err::toString);
    assertEquals(tree + ": generation 0\n", out.toString());
    assertEquals(
        0,
        run("generation", "--source", tree.toString(), "--raise", "--node", "nfs2"),
        err::toString);

    assertTrue(
        out.toString().endsWith(tree + ": generation raised from 0 to 1 (raised by nfs2)\n"),
        out::toString);
    assertEquals("1 nfs2\n", Files.readString(tree.resolve(".watchsync-generation")));
  }

  @Test
  void aBrokenGenerationFileIsARuntimeFailureNamingIt() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve(".watchsync-generation"), "not a number\n");

    assertEquals(1, run("generation", "--source", tree.toString(), "--raise"));

    assertTrue(
        err.toString()
            .startsWith("watchsync: " + tree.resolve(".watchsync-generation") + ": expected"),
        err::toString);
    assertEquals("not a number\n", Files.readString(tree.resolve(".watchsync-generation")));
  }

  @Test
  void aBadExcludeInTheQuickFormIsAUsageError() {
    assertEquals(
        2, run("check", "--source", work.toString(), "--target", "/mnt/x", "--exclude", "[x"));
    assertTrue(err.toString().contains("--exclude"), err::toString);
  }

  @Test
  void aPasswordInATargetOrFromUrlIsAUsageErrorThatNeverRepeatsIt() {
    assertEquals(
        2, run("check", "--source", work.toString(), "--target", "rsync://ws:hunter22@h/m"));
    assertEquals(
        2, run("rejoin", "--source", work.toString(), "--from", "rsync://ws:hunter22@h/m"));
    assertTrue(err.toString().contains("--target rsync://ws:***@h/m"), err::toString);
    assertTrue(err.toString().contains("--from rsync://ws:***@h/m"), err::toString);
    assertFalse(err.toString().contains("hunter22"), err::toString);
    assertFalse(out.toString().contains("hunter22"), out::toString);
  }
}

package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandIT {
  private static final Path PACKAGING = Path.of("../packaging").toAbsolutePath().normalize();

  @TempDir Path dir;
  Path agentJar;
  Path toolJar;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  @BeforeEach
  void jars() throws IOException {
    agentJar = jar("watchsync.jar");
    toolJar = jar("repo-builder.jar");
  }

  private Path jar(String name) throws IOException {
    Path jar = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream unused = new JarOutputStream(file, new Manifest())) {
      // An empty jar is enough: the command packages it, it does not run it.
    }
    return jar;
  }

  private int run(String... extra) {
    String[] base = {
      "--agent-jar", agentJar.toString(),
      "--tool-jar", toolJar.toString(),
      "--packaging", PACKAGING.toString(),
      "--out", dir.resolve("out").toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return PackageCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void writesBothRpmsAndPrintsTheirPaths() {
    assertEquals(0, run("--version", "0.1.0"), err.toString());
    Path outDir = dir.resolve("out");
    assertEquals(
        outDir.resolve("watchsync-0.1.0-1.noarch.rpm")
            + "\n"
            + outDir.resolve("watchsync-repo-builder-0.1.0-1.noarch.rpm")
            + "\n",
        out.toString());
    assertTrue(Files.isRegularFile(outDir.resolve("watchsync-0.1.0-1.noarch.rpm")));
  }

  @Test
  void signKeySignsBothRpmsSoThatRpmFindsTheSignaturesOk() throws IOException {
    assumeTrue(Command.available("rpmkeys"), "rpm is not installed (scripts/install-deps)");
    TestKeys.Key site = TestKeys.site();

    assertEquals(
        0, run("--version", "0.1.0", "--sign-key", site.secretKey().toString()), err.toString());

    Path root = Files.createDirectories(dir.resolve("rpmroot"));
    Duration deadline = Duration.ofMinutes(2);
    Command.run(
            deadline, "rpmkeys", "--root", root.toString(), "--import", site.publicKey().toString())
        .ok("rpmkeys --import");
    for (String rpm :
        List.of("watchsync-0.1.0-1.noarch.rpm", "watchsync-repo-builder-0.1.0-1.noarch.rpm")) {
      Command check =
          Command.run(
              deadline,
              "rpmkeys",
              "--root",
              root.toString(),
              "--checksig",
              "-v",
              dir.resolve("out").resolve(rpm).toString());
      assertEquals(0, check.exit(), check.out() + check.err());
      assertTrue(
          check.out().contains("Header V4 RSA/SHA256 Signature, key ID " + site.shortId() + ": OK"),
          check.out());
    }
  }

  @Test
  void anUnusableSignKeyIsAUsageErrorAndNothingIsBuilt() throws IOException {
    Path missing = dir.resolve("no-such.secret.asc");

    assertEquals(2, run("--version", "0.1.0", "--sign-key", missing.toString()));

    assertEquals("repo-builder package: " + missing + ": no such file\n", err.toString());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void releaseIsAnOption() {
    assertEquals(0, run("--version", "0.1.0", "--release", "3"), err.toString());
    assertTrue(Files.isRegularFile(dir.resolve("out/watchsync-0.1.0-3.noarch.rpm")));
  }

  @Test
  void rejectsAMavenSnapshotVersionAsAUsageError() {
    assertEquals(2, run("--version", "0.1.0-SNAPSHOT"));
    assertEquals(
        "repo-builder package: --version '0.1.0-SNAPSHOT': use letters, digits and . _ + only"
            + " ('-' separates version and release in rpm)\n",
        err.toString());
  }

  @Test
  void missingInputFileIsARuntimeFailureNamingTheFile() throws IOException {
    Files.delete(agentJar);
    assertEquals(1, run("--version", "0.1.0"));
    assertEquals("repo-builder package: " + agentJar + ": no such file\n", err.toString());
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    assertEquals(2, PackageCommand.run(new PrintWriter(out), new PrintWriter(err), "--out", "x"));
    assertTrue(err.toString().contains("Missing required options"), err.toString());
  }

  @Test
  void isASubcommandOfRepoBuilder() {
    int exit =
        RepoBuilderCommand.run(
            new PrintWriter(out, true), new PrintWriter(err, true), "package", "--help");
    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().contains("--agent-jar"), out.toString());
  }
}

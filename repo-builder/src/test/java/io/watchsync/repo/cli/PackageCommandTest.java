package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCommandTest {
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

package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.rpm.RpmLayout;
import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect --gpgcheck} takes only packages signed by a given key and unchanged since; each
 * refused package is named with the key ID its signature names.
 */
class CollectGpgcheckIT {
  @TempDir Path dir;
  Path cache;
  Path to;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  @BeforeEach
  void dirs() throws IOException {
    cache = Files.createDirectories(dir.resolve("cache/dnf/site-0123456789abcdef/packages"));
    to = dir.resolve("collected");
  }

  private Path cached(String fixture) throws IOException {
    return Files.copy(FixtureRpms.versionRpm(fixture), cache.resolve(fixture));
  }

  private static void sign(TestKeys.Key key, Path rpm) {
    RepoBuilder run = RepoBuilder.run("sign", "--key", key.secretKey().toString(), rpm.toString());
    assertEquals(0, run.exit(), run.toString());
  }

  private RepoBuilder collect(Path... keys) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "collect",
                "--from",
                dir.resolve("cache").toString(),
                "--to",
                to.toString(),
                "--gpgcheck"));
    for (Path key : keys) {
      args.add("--gpgkey");
      args.add(key.toString());
    }
    return RepoBuilder.run(args.toArray(String[]::new));
  }

  private List<String> collected() throws IOException {
    if (!Files.isDirectory(to)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(to)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void takesPackagesSignedByTheKeyAndRefusesEveryOtherNamingTheKeyFound() throws IOException {
    TestKeys.Key site = TestKeys.site();
    TestKeys.Key other = TestKeys.other();
    Path good = cached(FixtureRpms.ALPHA_1_0);
    sign(site, good);
    Path unsigned = cached(FixtureRpms.BETA_2_0);
    Path foreign = cached(FixtureRpms.GAMMA_1_0);
    sign(other, foreign);
    Path altered = cached(FixtureRpms.ALPHA_1_1);
    sign(site, altered);
    flipLastByte(altered);

    RepoBuilder run = collect(site.publicKey());

    assertEquals(1, run.exit(), run.toString());
    assertEquals(List.of(FixtureRpms.ALPHA_1_0), collected());
    assertTrue(run.out().contains("taken " + good + " -> "), run.toString());
    List<String> err = run.err().lines().toList();
    assertTrue(err.contains("rejected " + unsigned + ": not signed"), run.toString());
    assertTrue(
        err.contains(
            "rejected "
                + foreign
                + ": signed by key ID "
                + other.keyId()
                + ", which is not a trusted key (trusted: "
                + site.keyId()
                + ")"),
        run.toString());
    assertTrue(
        err.contains(
            "rejected "
                + altered
                + ": signed by key ID "
                + site.keyId()
                + ", changed after signing: corrupt: the payload does not match its SHA-256"
                + " digest"),
        run.toString());
    assertTrue(run.out().contains("1 taken, 0 skipped, 3 rejected"), run.toString());
  }

  @Test
  void aHeaderChangedAfterSigningIsRefusedNamingTheKey() throws IOException {
    TestKeys.Key site = TestKeys.site();
    Path rpm = cached(FixtureRpms.BETA_EPOCH_1_1_0);
    sign(site, rpm);
    // A byte in the header's store (the last byte of the header): the header signature breaks.
    RpmLayout layout;
    try {
      layout = RpmLayout.read(rpm);
    } catch (io.watchsync.repo.rpm.RpmException e) {
      throw new AssertionError(e.getMessage());
    }
    flipByte(rpm, layout.headerStart() + layout.headerBytes().length - 2);

    RepoBuilder run = collect(site.publicKey());

    assertEquals(1, run.exit(), run.toString());
    assertTrue(
        run.err()
            .contains(
                "rejected "
                    + rpm
                    + ": BAD signature from key ID "
                    + site.keyId()
                    + ": the header was changed after signing"),
        run.toString());
    assertEquals(List.of(), collected());
  }

  @Test
  void anyOfSeveralKeysIsTrusted() throws IOException {
    Path a = cached(FixtureRpms.ALPHA_1_0);
    sign(TestKeys.site(), a);
    Path g = cached(FixtureRpms.GAMMA_1_0);
    sign(TestKeys.other(), g);

    RepoBuilder run = collect(TestKeys.site().publicKey(), TestKeys.other().publicKey());

    assertEquals(0, run.exit(), run.toString());
    assertEquals(List.of(FixtureRpms.ALPHA_1_0, FixtureRpms.GAMMA_1_0), collected());
  }

  @Test
  void packagesSignedByRpmsignWithTheSameKeyAreTaken() throws IOException {
    assumeTrue(Command.available("rpmsign") && Command.available("gpg"), "rpmsign and gpg");
    TestKeys.Key site = TestKeys.site();
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(
        home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    java.time.Duration deadline = java.time.Duration.ofMinutes(2);
    Command.run(
            deadline,
            "gpg",
            "--homedir",
            home.toString(),
            "--batch",
            "--import",
            site.secretKey().toString())
        .ok("gpg --import");
    Path rpm = cached(FixtureRpms.GAMMA_1_0_RC1);
    Command.run(
            deadline,
            "rpmsign",
            "--define",
            "_gpg_path " + home,
            "--define",
            "_gpg_name " + site.keyId(),
            "--define",
            "__gpg " + "/usr/bin/gpg",
            "--addsign",
            rpm.toString())
        .ok("rpmsign --addsign");

    RepoBuilder run = collect(site.publicKey());

    assertEquals(0, run.exit(), run.toString());
    assertEquals(List.of(FixtureRpms.GAMMA_1_0_RC1), collected());
  }

  @Test
  void gpgcheckWithoutAKeyIsAUsageError() throws IOException {
    cached(FixtureRpms.ALPHA_1_0);

    RepoBuilder run = collect();

    assertEquals(2, run.exit(), run.toString());
    assertEquals(
        "repo-builder collect: no public key given; name the signing key with --gpgkey\n",
        run.err());
    assertEquals(List.of(), collected());
  }

  @Test
  void aKeyWithoutGpgcheckIsAUsageError() throws IOException {
    RepoBuilder run =
        RepoBuilder.run(
            "collect",
            "--from",
            dir.resolve("cache").toString(),
            "--to",
            to.toString(),
            "--gpgkey",
            TestKeys.site().publicKey().toString());

    assertEquals(2, run.exit(), run.toString());
    assertEquals("repo-builder collect: --gpgkey needs --gpgcheck\n", run.err());
  }

  private static void flipLastByte(Path file) throws IOException {
    flipByte(file, Files.size(file) - 1);
  }

  private static void flipByte(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }
}

package io.watchsync.repo.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dnf with gpgcheck=1 and repo_gpgcheck=1, from the .repo file {@code repo-builder repofile
 * --gpgkey} writes, installs from a repository signed by {@code sign} and {@code index --sign-key}
 * into an installroot, and refuses when the repository or a package was signed by another key, or a
 * package was changed after signing.
 */
class DnfChecksSignaturesIT {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path work;

  @BeforeAll
  static void tools() throws IOException {
    assumeTrue(Command.available("dnf"), "dnf is not installed (scripts/install-deps installs it)");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("gpg"), "gpg is not installed (dnf's repo_gpgcheck uses it)");
    assumeTrue(
        "0".equals(Command.run(DEADLINE, "id", "-u").out().strip()),
        "installing into a root needs root");
  }

  /** A repository of alpha and gamma, the packages signed by one key, repomd.xml by another. */
  private Path repo(TestKeys.Key packagesKey, TestKeys.Key repoKey) throws IOException {
    Path repo = Files.createDirectories(work.resolve("repo"));
    List<String> sign =
        new ArrayList<>(List.of("sign", "--key", packagesKey.secretKey().toString()));
    for (String fixture : List.of(FixtureRpms.ALPHA_1_0, FixtureRpms.GAMMA_1_0)) {
      Path rpm = Files.copy(FixtureRpms.versionRpm(fixture), repo.resolve(fixture));
      sign.add(rpm.toString());
    }
    RepoBuilder signed = RepoBuilder.run(sign.toArray(String[]::new));
    assertEquals(0, signed.exit(), signed.toString());
    RepoBuilder indexed =
        RepoBuilder.run("index", "--sign-key", repoKey.secretKey().toString(), repo.toString());
    assertEquals(0, indexed.exit(), indexed.toString());
    return repo;
  }

  /** dnf install into a fresh root, trusting the site key through the .repo file's gpgkey. */
  private Command install(Path repo, String pkg) throws IOException {
    RepoBuilder repofile =
        RepoBuilder.run(
            "repofile",
            "--id",
            "signed",
            "--baseurl",
            repo.toString(),
            "--gpgkey",
            TestKeys.site().publicKey().toString());
    assertEquals(0, repofile.exit(), repofile.toString());
    assertTrue(repofile.out().contains("gpgcheck=1\nrepo_gpgcheck=1\n"), repofile.out());
    Path reposdir = Files.createDirectories(work.resolve("repos.d"));
    Files.writeString(reposdir.resolve("signed.repo"), repofile.out());
    List<String> command =
        List.of(
            "dnf",
            "--installroot=" + work.resolve("root"),
            "--releasever=9",
            "--setopt=reposdir=" + reposdir,
            "--setopt=cachedir=" + work.resolve("cache"),
            "--noplugins",
            "-y",
            "install",
            pkg);
    return Command.run(DEADLINE, command);
  }

  private boolean installed(String pkg) throws IOException {
    return Command.run(DEADLINE, "rpm", "--root=" + work.resolve("root"), "-q", pkg).exit() == 0;
  }

  @Test
  void dnfInstallsFromTheSignedRepositoryWithBothChecksOn() throws IOException {
    Path repo = repo(TestKeys.site(), TestKeys.site());

    Command dnf = install(repo, "alpha");

    assertEquals(0, dnf.exit(), dnf.out() + dnf.err());
    assertTrue(installed("alpha"), dnf.out() + dnf.err());
    String sig =
        Command.run(
                DEADLINE,
                "rpm",
                "--root=" + work.resolve("root"),
                "-q",
                "--qf",
                "%{RSAHEADER:pgpsig}",
                "alpha")
            .ok("rpm -q")
            .out();
    assertTrue(sig.startsWith("RSA/SHA256") && sig.endsWith(TestKeys.site().keyId()), sig);
  }

  @Test
  void dnfRefusesAPackageSignedByAnotherKey() throws IOException {
    Path repo = repo(TestKeys.other(), TestKeys.site());

    Command dnf = install(repo, "gamma");

    assertNotEquals(0, dnf.exit(), dnf.out() + dnf.err());
    assertFalse(installed("gamma"));
    String said = dnf.out() + dnf.err();
    assertTrue(said.contains("GPG check FAILED"), said);
  }

  @Test
  void dnfRefusesARepositorySignedByAnotherKey() throws IOException {
    Path repo = repo(TestKeys.site(), TestKeys.other());

    Command dnf = install(repo, "alpha");

    assertNotEquals(0, dnf.exit(), dnf.out() + dnf.err());
    assertFalse(installed("alpha"));
    String said = dnf.out() + dnf.err();
    assertTrue(said.contains("repomd.xml GPG signature verification error"), said);
  }

  @Test
  void dnfRefusesARepositoryWhoseRepomdChangedAfterSigning() throws IOException {
    Path repo = repo(TestKeys.site(), TestKeys.site());
    Path repomd = repo.resolve("repodata/repomd.xml");
    Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>9"));

    Command dnf = install(repo, "alpha");

    assertNotEquals(0, dnf.exit(), dnf.out() + dnf.err());
    assertFalse(installed("alpha"));
    String said = dnf.out() + dnf.err();
    assertTrue(said.contains("repomd.xml GPG signature verification error"), said);
  }

  @Test
  void dnfRefusesAPackageChangedAfterSigning() throws IOException {
    Path repo = repo(TestKeys.site(), TestKeys.site());
    try (RandomAccessFile f =
        new RandomAccessFile(repo.resolve(FixtureRpms.GAMMA_1_0).toFile(), "rw")) {
      f.seek(f.length() - 1);
      int b = f.read();
      f.seek(f.length() - 1);
      f.write(b ^ 1);
    }

    Command dnf = install(repo, "gamma");

    assertNotEquals(0, dnf.exit(), dnf.out() + dnf.err());
    assertFalse(installed("gamma"));
  }
}

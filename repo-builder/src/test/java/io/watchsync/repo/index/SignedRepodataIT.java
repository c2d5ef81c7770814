package io.watchsync.repo.index;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code index --sign-key} writes repomd.xml.asc, and gpg, with a scratch keyring that holds only
 * the public key, finds it a good signature of repomd.xml.
 */
class SignedRepodataIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("gpg"), "gpg is not installed (scripts/install-deps)");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private Path repo() throws IOException {
    Path repo = work.resolve("repo");
    Files.createDirectories(repo);
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0), repo.resolve(FixtureRpms.ALPHA_1_0));
    return repo;
  }

  private Command gpgVerify(TestKeys.Key key, Path repodata) throws IOException {
    Path home = work.resolve("gnupg-" + key.keyId());
    if (!Files.isDirectory(home)) {
      Files.createDirectories(home);
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
      Command.run(
              DEADLINE,
              "gpg",
              "--homedir",
              home.toString(),
              "--batch",
              "--import",
              key.publicKey().toString())
          .ok("gpg --import");
    }
    return Command.run(
        DEADLINE,
        "gpg",
        "--homedir",
        home.toString(),
        "--batch",
        "--status-fd",
        "1",
        "--verify",
        repodata.resolve("repomd.xml.asc").toString(),
        repodata.resolve("repomd.xml").toString());
  }

  @Test
  void gpgFindsAGoodSignatureOfRepomdByTheSiteKey() throws IOException {
    Path repo = repo();
    TestKeys.Key site = TestKeys.site();

    RepoBuilder run =
        RepoBuilder.run("index", "--sign-key", site.secretKey().toString(), repo.toString());

    assertEquals(0, run.exit(), run.toString());
    Path asc = repo.resolve("repodata/repomd.xml.asc");
    assertTrue(Files.readString(asc).startsWith("-----BEGIN PGP SIGNATURE-----"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(asc)));
    Command verify = gpgVerify(site, repo.resolve("repodata"));
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    assertTrue(
        verify.out().contains("[GNUPG:] GOODSIG " + site.keyId().toUpperCase()), verify.out());
    // SHA-256 is hash algorithm 8 in VALIDSIG's eighth field.
    String validsig =
        verify
            .out()
            .lines()
            .filter(l -> l.startsWith("[GNUPG:] VALIDSIG "))
            .findFirst()
            .orElseThrow();
    assertEquals("8", validsig.split(" ")[9], validsig);
  }

  @Test
  void gpgRefusesRepomdChangedAfterSigning() throws IOException {
    Path repo = repo();
    assertEquals(
        0,
        RepoBuilder.run(
                "index", "--sign-key", TestKeys.site().secretKey().toString(), repo.toString())
            .exit());
    Path repomd = repo.resolve("repodata/repomd.xml");
    Files.writeString(repomd, Files.readString(repomd).replace("<revision>", "<revision>1"));

    Command verify = gpgVerify(TestKeys.site(), repo.resolve("repodata"));

    assertNotEquals(0, verify.exit());
    assertTrue(verify.out().contains("[GNUPG:] BADSIG"), verify.out());
  }

  @Test
  void anUnsignedIndexRemovesTheSignatureThatNoLongerMatches() throws IOException {
    Path repo = repo();
    assertEquals(
        0,
        RepoBuilder.run(
                "index", "--sign-key", TestKeys.site().secretKey().toString(), repo.toString())
            .exit());
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.GAMMA_1_0), repo.resolve(FixtureRpms.GAMMA_1_0));

    assertEquals(0, RepoBuilder.run("index", repo.toString()).exit());

    assertFalse(Files.exists(repo.resolve("repodata/repomd.xml.asc")));
  }

  @Test
  void anUpdateReSignsTheNewRepomd() throws IOException {
    Path repo = repo();
    String key = TestKeys.site().secretKey().toString();
    assertEquals(0, RepoBuilder.run("index", "--sign-key", key, repo.toString()).exit());
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.GAMMA_1_0), repo.resolve(FixtureRpms.GAMMA_1_0));

    assertEquals(
        0, RepoBuilder.run("index", "--update", "--sign-key", key, repo.toString()).exit());

    Command verify = gpgVerify(TestKeys.site(), repo.resolve("repodata"));
    assertEquals(0, verify.exit(), verify.out() + verify.err());
  }

  @Test
  void anUnreadableKeyIsAUsageErrorAndTheOldMetadataStays() throws IOException {
    Path repo = repo();
    assertEquals(0, RepoBuilder.run("index", repo.toString()).exit());
    String before = Files.readString(repo.resolve("repodata/repomd.xml"));

    RepoBuilder run =
        RepoBuilder.run(
            "index", "--sign-key", TestKeys.site().publicKey().toString(), repo.toString());

    assertEquals(2, run.exit(), run.toString());
    assertEquals(
        "repo-builder index: "
            + TestKeys.site().publicKey()
            + ": not an OpenPGP secret key (a public key, or not armored OpenPGP)\n",
        run.err());
    assertEquals(before, Files.readString(repo.resolve("repodata/repomd.xml")));
  }
}

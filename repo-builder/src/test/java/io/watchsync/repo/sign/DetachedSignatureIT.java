package io.watchsync.repo.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sign --detach} writes FILE.asc that gpgv, the verifier every Debian host has, accepts with
 * the public key as its keyring, and refuses once the file changed.
 */
class DetachedSignatureIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("gpgv") && Command.available("gpg"), "gpg is not installed");
  }

  private Path keyring() throws IOException {
    Path keyring = work.resolve("keyring.gpg");
    Command.run(
            DEADLINE,
            "gpg",
            "--batch",
            "--output",
            keyring.toString(),
            "--dearmor",
            TestKeys.site().publicKey().toString())
        .ok("gpg --dearmor");
    return keyring;
  }

  private Command gpgv(Path keyring, Path file) throws IOException {
    return Command.run(
        DEADLINE,
        "gpgv",
        "--keyring",
        keyring.toString(),
        file.resolveSibling(file.getFileName() + ".asc").toString(),
        file.toString());
  }

  @Test
  void gpgvAcceptsTheSignatureAndRefusesTheFileOnceChanged() throws IOException {
    Path tarball = work.resolve("watchsync-1.0.tar.gz");
    byte[] content = new byte[300_000];
    new Random(7).nextBytes(content);
    Files.write(tarball, content);

    RepoBuilder run =
        RepoBuilder.run(
            "sign",
            "--detach",
            "--key",
            TestKeys.site().secretKey().toString(),
            tarball.toString());

    assertEquals(0, run.exit(), run.toString());
    Path asc = work.resolve("watchsync-1.0.tar.gz.asc");
    assertEquals("signed " + tarball + " -> " + asc + "\n", run.out());
    assertTrue(Files.readString(asc).startsWith("-----BEGIN PGP SIGNATURE-----"));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(asc)));
    Path keyring = keyring();
    Command good = gpgv(keyring, tarball);
    assertEquals(0, good.exit(), good.out() + good.err());
    assertTrue(good.err().contains("Good signature"), good.err());

    content[1000] ^= 1;
    Files.write(tarball, content);
    Command bad = gpgv(keyring, tarball);
    assertNotEquals(0, bad.exit(), bad.out() + bad.err());
    assertTrue(bad.err().contains("BAD signature"), bad.err());
  }

  @Test
  void aMissingFileIsNamedAndTheOthersAreSigned() throws IOException {
    Path missing = work.resolve("missing.tar.gz");
    Path present = Files.writeString(work.resolve("present.txt"), "x");

    RepoBuilder run =
        RepoBuilder.run(
            "sign",
            "--detach",
            "--key",
            TestKeys.site().secretKey().toString(),
            missing.toString(),
            present.toString());

    assertEquals(1, run.exit(), run.toString());
    assertEquals("repo-builder sign: " + missing + ": no such file; not signed\n", run.err());
    assertTrue(Files.exists(work.resolve("present.txt.asc")));
  }
}

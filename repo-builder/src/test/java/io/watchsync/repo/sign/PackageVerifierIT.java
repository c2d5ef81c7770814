package io.watchsync.repo.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PackageVerifier} as a library, the way {@code collect --gpgcheck} (and a mirror) call it:
 * a verdict naming the key, or an exception naming the file and the key ID found.
 */
class PackageVerifierIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private PackageVerifier verifier() throws Exception {
    return new PackageVerifier(TrustedKeys.read(List.of(TestKeys.site().publicKey())));
  }

  private Path fixture(String name) throws IOException {
    return Files.copy(FixtureRpms.versionRpm(name), work.resolve(name));
  }

  @Test
  void aPackageSignedByATrustedKeyIsVerifiedNamingTheKey() throws Exception {
    Path rpm = fixture(FixtureRpms.ALPHA_1_0);
    new RpmSigner(Signer.load(TestKeys.site().secretKey(), null)).sign(rpm);

    PackageVerifier.Verified verdict = verifier().verify(rpm);

    assertEquals(rpm, verdict.file());
    assertEquals(TestKeys.site().keyId(), verdict.keyId());
  }

  @Test
  void aFileThatIsNotAnRpmIsRejectedWithoutAKeyId() throws Exception {
    Path file = Files.writeString(work.resolve("x.rpm"), "not an rpm");

    PackageRejectedException e =
        assertThrows(PackageRejectedException.class, () -> verifier().verify(file));

    assertEquals(file, e.file());
    assertNull(e.keyId());
    assertEquals(file + ": not an RPM (no RPM lead)", e.getMessage());
  }

  @Test
  void aSha1SignatureByTheTrustedKeyIsRefusedAsEl9RefusesIt() throws Exception {
    assumeTrue(Command.available("rpmsign") && Command.available("gpg"), "rpmsign and gpg");
    Path home = Files.createDirectories(work.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Command.run(
            DEADLINE,
            "gpg",
            "--homedir",
            home.toString(),
            "--batch",
            "--import",
            TestKeys.site().secretKey().toString())
        .ok("gpg --import");
    Path rpm = fixture(FixtureRpms.GAMMA_1_0);
    Command.run(
            DEADLINE,
            "rpmsign",
            "--define",
            "_gpg_path " + home,
            "--define",
            "_gpg_name " + TestKeys.site().keyId(),
            "--define",
            "__gpg /usr/bin/gpg",
            "--define",
            "_gpg_digest_algo sha1",
            "--addsign",
            rpm.toString())
        .ok("rpmsign --addsign");

    PackageRejectedException e =
        assertThrows(PackageRejectedException.class, () -> verifier().verify(rpm));

    assertEquals(TestKeys.site().keyId(), e.keyId());
    assertEquals(
        "signed by key ID "
            + TestKeys.site().keyId()
            + " with a SHA-1 (or weaker) digest, which EL 9 refuses",
        e.reason());
  }
}

package io.watchsync.repo.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.TestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpm itself checks what {@code repo-builder sign} wrote: the public key is imported into a scratch
 * rpm database, then {@code rpmkeys --checksig} must find every signature and digest OK, and the
 * header signature must be RSA/SHA256.
 */
class RpmAcceptsSignatureIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmkeys"), "rpm is not installed (scripts/install-deps)");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private Path copy(Path rpm) throws IOException {
    Files.createDirectories(work.resolve("rpms"));
    return Files.copy(
        rpm, work.resolve("rpms").resolve(rpm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }

  /** rpmkeys with a scratch database that trusts {@code key}. */
  private Command rpmkeys(TestKeys.Key key, String... args) throws IOException {
    Path root = work.resolve("rpmroot-" + key.keyId());
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      Command.run(
              DEADLINE,
              "rpmkeys",
              "--root",
              root.toString(),
              "--import",
              key.publicKey().toString())
          .ok("rpmkeys --import");
    }
    List<String> command = new ArrayList<>(List.of("rpmkeys", "--root", root.toString()));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command);
  }

  private static String qf(Path rpm, String format) throws IOException {
    return Command.run(DEADLINE, "rpm", "-qp", "--nosignature", "--qf", format, rpm.toString())
        .ok("rpm -qp")
        .out();
  }

  private static RepoBuilder sign(TestKeys.Key key, Path... rpms) {
    List<String> args = new ArrayList<>(List.of("sign", "--key", key.secretKey().toString()));
    for (Path rpm : rpms) {
      args.add(rpm.toString());
    }
    return RepoBuilder.run(args.toArray(String[]::new));
  }

  private void assertSignedBy(TestKeys.Key key, Path rpm) throws IOException {
    Command check = rpmkeys(key, "--checksig", "-v", rpm.toString());
    assertEquals(0, check.exit(), check.out() + check.err());
    String out = check.out();
    assertTrue(
        out.contains("Header V4 RSA/SHA256 Signature, key ID " + key.shortId() + ": OK"), out);
    assertTrue(out.contains("V4 RSA/SHA256 Signature, key ID " + key.shortId() + ": OK"), out);
    assertTrue(out.contains("Payload SHA256 digest: OK"), out);
    assertFalse(out.contains("NOKEY") || out.contains("BAD"), out);
  }

  @Test
  void rpmFindsTheSignaturesOfEveryKindOfPackageOk() throws IOException {
    // Binary and source RPMs, gzip, xz and zstd payloads, packages with and without files.
    List<Path> rpms = new ArrayList<>();
    for (Path rpm : FixtureRpms.all()) {
      rpms.add(copy(rpm));
    }
    TestKeys.Key site = TestKeys.site();
    RepoBuilder run = sign(site, rpms.toArray(Path[]::new));
    assertEquals(0, run.exit(), run.toString());
    for (Path rpm : rpms) {
      assertSignedBy(site, rpm);
      assertTrue(run.out().contains("signed " + rpm), run.toString());
    }
  }

  @Test
  void theHeaderSignatureIsRsaWithSha256() throws IOException {
    Path rpm = copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0));
    assertEquals(0, sign(TestKeys.site(), rpm).exit());
    String sig = qf(rpm, "%{RSAHEADER:pgpsig}|%{SIGPGP:pgpsig}");
    String[] both = sig.split("\\|");
    for (String s : both) {
      assertTrue(s.startsWith("RSA/SHA256, "), sig);
      assertTrue(s.endsWith("Key ID " + TestKeys.site().keyId()), sig);
    }
  }

  @Test
  void signingKeepsHeaderAndPayloadByteForByte() throws Exception {
    Path original = FixtureRpms.versionRpm(FixtureRpms.GAMMA_1_0);
    Path rpm = copy(original);
    assertEquals(0, sign(TestKeys.site(), rpm).exit());
    assertEquals(
        qf(original, "%{SHA256HEADER} %{PAYLOADDIGEST}"),
        qf(rpm, "%{SHA256HEADER} %{PAYLOADDIGEST}"));
    long originalStart = io.watchsync.repo.rpm.RpmLayout.read(original).headerStart();
    long signedStart = io.watchsync.repo.rpm.RpmLayout.read(rpm).headerStart();
    byte[] a = Files.readAllBytes(original);
    byte[] b = Files.readAllBytes(rpm);
    assertEquals(a.length - originalStart, b.length - signedStart);
    assertTrue(
        java.util.Arrays.equals(a, (int) originalStart, a.length, b, (int) signedStart, b.length),
        "header and payload must be copied unchanged");
  }

  @Test
  void aSignedPackageIsResignedWithTheNewKeyOnly() throws IOException {
    Path rpm = copy(FixtureRpms.versionRpm(FixtureRpms.BETA_2_0));
    assertEquals(0, sign(TestKeys.other(), rpm).exit());
    assertEquals(0, sign(TestKeys.site(), rpm).exit());
    assertSignedBy(TestKeys.site(), rpm);
    String seenByOther = rpmkeys(TestKeys.other(), "--checksig", "-v", rpm.toString()).out();
    assertFalse(seenByOther.contains(TestKeys.other().shortId()), seenByOther);
  }

  @Test
  void signingKeepsTheFileModeAndLeavesNoTemporaryFile() throws IOException {
    Path rpm = copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_1));
    Files.setPosixFilePermissions(rpm, PosixFilePermissions.fromString("rw-r-----"));
    assertEquals(0, sign(TestKeys.site(), rpm).exit());
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(rpm)));
    try (var files = Files.list(rpm.getParent())) {
      assertEquals(List.of(rpm), files.toList());
    }
  }

  @Test
  void aBrokenPackageIsNotSignedAndTheOthersAre() throws IOException {
    Path good = copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0));
    Path broken = work.resolve("rpms/broken-1-1.noarch.rpm");
    byte[] bytes = Files.readAllBytes(FixtureRpms.versionRpm(FixtureRpms.GAMMA_1_0));
    Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    byte[] before = Files.readAllBytes(broken);

    RepoBuilder run = sign(TestKeys.site(), broken, good);

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains("repo-builder sign: " + broken + ": truncated"), run.toString());
    assertTrue(run.err().endsWith("; not signed\n"), run.toString());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(broken)));
    assertSignedBy(TestKeys.site(), good);
  }
}

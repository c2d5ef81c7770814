package io.watchsync.repo.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An organisation's existing key, made by gpg (RSA, primary key that signs plus an encryption
 * subkey, protected by a passphrase) and exported with {@code gpg --export-secret-keys --armor},
 * signs packages that rpm verifies with the key gpg exports as public.
 */
class GpgExportedKeyIT {
  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final String UID = "Org Release <release@example.org>";
  private static final String PASSPHRASE = "org passphrase 7";

  @TempDir Path work;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("gpg"), "gpg is not installed (scripts/install-deps)");
    assumeTrue(Command.available("rpmkeys"), "rpm is not installed");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private Command gpg(Path home, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase-file",
                work.resolve("passphrase").toString()));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command).ok(String.join(" ", args));
  }

  @Test
  void aPassphraseProtectedKeyExportedFromGpgSignsWhatRpmVerifies() throws IOException {
    Path home = Files.createDirectories(work.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(work.resolve("passphrase"), PASSPHRASE + "\n");
    gpg(home, "--quick-gen-key", UID, "rsa2048", "sign", "never");
    gpg(home, "--quick-add-key", fingerprint(home), "rsa2048", "encr", "never");
    Path secret = work.resolve("org.secret.asc");
    Files.writeString(secret, gpg(home, "--armor", "--export-secret-keys", UID).out());
    Path pub = work.resolve("RPM-GPG-KEY-org");
    Files.writeString(pub, gpg(home, "--armor", "--export", UID).out());
    Path rpm = Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0), work.resolve("a.rpm"));

    RepoBuilder run =
        RepoBuilder.run(
            "sign",
            "--key",
            secret.toString(),
            "--passphrase-file",
            work.resolve("passphrase").toString(),
            rpm.toString());

    assertEquals(0, run.exit(), run.toString());
    Path root = Files.createDirectories(work.resolve("rpmroot"));
    Command.run(DEADLINE, "rpmkeys", "--root", root.toString(), "--import", pub.toString())
        .ok("rpmkeys --import");
    Command check =
        Command.run(
            DEADLINE, "rpmkeys", "--root", root.toString(), "--checksig", "-v", rpm.toString());
    assertEquals(0, check.exit(), check.out() + check.err());
    String shortId = fingerprint(home).substring(32).toLowerCase();
    assertTrue(
        check.out().contains("Header V4 RSA/SHA256 Signature, key ID " + shortId + ": OK"),
        check.out());
  }

  private String fingerprint(Path home) throws IOException {
    String colons = gpg(home, "--with-colons", "--list-secret-keys", UID).out();
    return colons.lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
  }
}

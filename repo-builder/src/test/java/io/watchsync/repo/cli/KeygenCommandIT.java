package io.watchsync.repo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repo-builder keygen} as a user runs it, and the key it makes used by the real gpg and rpm,
 * protected by a passphrase or not.
 */
class KeygenCommandIT {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final String NAME = "Example Ops <ops@example.org>";

  @TempDir Path dir;

  private RepoBuilder keygen(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "keygen",
                "--name",
                NAME,
                "--out",
                dir.resolve("keys").toString(),
                "--bits",
                "2048"));
    args.addAll(List.of(extra));
    return RepoBuilder.run(args.toArray(String[]::new));
  }

  @Test
  void writesTheArmoredPublicKeyAndTheSecretKeyOnlyItsOwnerCanRead() throws IOException {
    RepoBuilder run = keygen();

    assertEquals(0, run.exit(), run.toString());
    Path pub = dir.resolve("keys/RPM-GPG-KEY-example-ops");
    Path secret = dir.resolve("keys/example-ops.secret.asc");
    assertTrue(Files.readString(pub).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
    assertTrue(Files.readString(secret).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
    List<String> lines = run.out().lines().toList();
    assertEquals(pub.toString(), lines.get(0));
    assertEquals(secret.toString(), lines.get(1));
    assertTrue(lines.get(2).matches("key ID [0-9a-f]{16}"), run.toString());
  }

  @Test
  void gpgReadsThePublicKeyWithItsUserIdAndRsaSize() throws IOException {
    assumeTrue(Command.available("gpg"), "gpg is not installed (scripts/install-deps)");
    assertEquals(0, keygen().exit());
    Path home = Files.createDirectories(dir.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Command shown =
        Command.run(
                DEADLINE,
                "gpg",
                "--homedir",
                home.toString(),
                "--batch",
                "--with-colons",
                "--show-keys",
                dir.resolve("keys/RPM-GPG-KEY-example-ops").toString())
            .ok("gpg --show-keys");
    // pub:-:2048:1:KEYID:... (algorithm 1 is RSA), then the user id.
    assertTrue(
        shown
            .out()
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("pub:")
                        && l.split(":")[2].equals("2048")
                        && l.split(":")[3].equals("1")),
        shown.out());
    assertTrue(shown.out().contains("uid:") && shown.out().contains(NAME), shown.out());
  }

  @Test
  void aPassphraseProtectsTheSecretKeyAndUnlocksItForSigning() throws IOException {
    Path passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "correct horse battery staple\n");
    assertEquals(0, keygen("--passphrase-file", passphrase.toString()).exit());
    Path secret = dir.resolve("keys/example-ops.secret.asc");
    Path rpm = dir.resolve(FixtureRpms.ALPHA_1_0);
    Files.copy(FixtureRpms.versionRpm(FixtureRpms.ALPHA_1_0), rpm);

    RepoBuilder locked = RepoBuilder.run("sign", "--key", secret.toString(), rpm.toString());
    assertEquals(2, locked.exit(), locked.toString());
    assertEquals(
        "repo-builder sign: "
            + secret
            + ": the key is protected by a passphrase; give --passphrase-file\n",
        locked.err());

    Path wrong = dir.resolve("wrong");
    Files.writeString(wrong, "tr0ub4dor&3\n");
    RepoBuilder bad =
        RepoBuilder.run(
            "sign",
            "--key",
            secret.toString(),
            "--passphrase-file",
            wrong.toString(),
            rpm.toString());
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("cannot unlock the key: wrong passphrase"), bad.toString());
    assertFalse(bad.err().contains("tr0ub4dor"), "a passphrase never appears in a message");

    RepoBuilder ok =
        RepoBuilder.run(
            "sign",
            "--key",
            secret.toString(),
            "--passphrase-file",
            passphrase.toString(),
            rpm.toString());
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(Files.readString(secret).contains("PRIVATE KEY"));
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    RepoBuilder help = RepoBuilder.run("keygen", "--help");
    assertEquals(0, help.exit());
    HelpText.assertMentions(
        help.out(),
        "--name=\"NAME <EMAIL>\" The key's user id",
        "--out=DIR Where to write the two files",
        "--bits=N RSA key size, 2048 to 16384 (default: 4096).",
        "--passphrase-file=FILE Protect the secret key");
    RepoBuilder top = RepoBuilder.run("--help");
    assertTrue(top.out().contains("keygen") && top.out().contains("sign"), top.out());
  }

  @Test
  void anExistingKeyIsNeverOverwritten() throws IOException {
    assertEquals(0, keygen().exit());
    Path secret = dir.resolve("keys/example-ops.secret.asc");
    String before = Files.readString(secret);

    RepoBuilder again = keygen();

    assertEquals(1, again.exit(), again.toString());
    assertTrue(again.err().contains(": exists; a key is never overwritten"), again.toString());
    assertEquals(before, Files.readString(secret));
  }

  @Test
  void aNameWithoutAnEmailOrATooShortKeyIsAUsageError() {
    RepoBuilder noEmail =
        RepoBuilder.run("keygen", "--name", "Example Ops", "--out", dir.toString());
    assertEquals(2, noEmail.exit(), noEmail.toString());
    assertTrue(noEmail.err().contains("use \"NAME <EMAIL>\""), noEmail.toString());

    RepoBuilder newline =
        RepoBuilder.run(
            "keygen", "--name", "Ops\n<x@example.org> <ops@example.org>", "--out", dir.toString());
    assertEquals(2, newline.exit(), newline.toString());
    assertTrue(newline.err().startsWith("repo-builder keygen: --name 'Ops\\n"), newline.toString());

    RepoBuilder shortKey =
        RepoBuilder.run("keygen", "--name", NAME, "--out", dir.toString(), "--bits", "1024");
    assertEquals(2, shortKey.exit(), shortKey.toString());
    assertTrue(shortKey.err().contains("--bits 1024: use 2048 to 16384"), shortKey.toString());
  }
}

package io.watchsync.repo.cli;

import io.watchsync.repo.sign.KeyGenerator;
import io.watchsync.repo.sign.KeyIds;
import io.watchsync.repo.sign.Passphrase;
import io.watchsync.repo.sign.SigningException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code repo-builder keygen}: makes a key to sign packages and repositories with. */
@Command(
    name = "keygen",
    description = {
      "Makes an RSA key to sign packages and repositories with, and writes",
      "DIR/RPM-GPG-KEY-SLUG (the public key: rpm --import it, or name it in gpgkey=)",
      "and DIR/SLUG.secret.asc (the secret key, mode 0600). SLUG is the name in lower",
      "case, words joined by '-'. Existing files are never overwritten."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:both files written",
      "1:a file exists already or cannot be written",
      "2:usage error (a bad --name or --bits, an unreadable --passphrase-file)"
    })
public final class KeygenCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "\"NAME <EMAIL>\"",
      description = "The key's user id, e.g. \"Example Ops <ops@example.org>\" (required).")
  String name;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where to write the two files (created if missing; required).")
  Path out;

  @Option(
      names = "--bits",
      paramLabel = "N",
      description = "RSA key size, 2048 to 16384 (default: ${DEFAULT-VALUE}).")
  int bits = KeyGenerator.DEFAULT_BITS;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "Protect the secret key with the passphrase on the first line of FILE"
              + " (default: not protected; rely on the file's mode 0600).")
  Path passphraseFile;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    char[] passphrase = null;
    try {
      KeyGenerator generator = new KeyGenerator(name, bits);
      passphrase = Passphrase.read(passphraseFile);
      KeyGenerator.KeyFiles files = generator.writeTo(out, passphrase);
      stdout.println(files.publicKey());
      stdout.println(files.secretKey());
      stdout.println("key ID " + KeyIds.format(files.keyId()));
      return ExitCodes.OK;
    } catch (SigningException e) {
      err.println(OneLine.of("repo-builder keygen: " + e.getMessage()));
      return e.configError() ? ExitCodes.USAGE : ExitCodes.FAILURE;
    } finally {
      if (passphrase != null) {
        Arrays.fill(passphrase, '\0');
      }
    }
  }
}

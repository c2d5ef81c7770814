package io.watchsync.repo.cli;

import io.watchsync.repo.sign.Signer;
import io.watchsync.repo.sign.SigningException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --sign-key} and {@code --passphrase-file}, mixed into the commands that can sign. */
final class SigningKeyOptions {
  @Option(
      names = "--sign-key",
      paramLabel = "SECRET.asc",
      description =
          "Sign with this armored secret key (RSA, e.g. from repo-builder keygen)"
              + " (default: not signed).")
  Path signKey;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The key's passphrase, on the first line of FILE (default: none).")
  Path passphraseFile;

  /** The signer; null when no key was given. */
  Signer load() throws SigningException {
    if (signKey == null) {
      if (passphraseFile != null) {
        throw SigningException.config("--passphrase-file needs --sign-key");
      }
      return null;
    }
    return Signer.load(signKey, passphraseFile);
  }
}

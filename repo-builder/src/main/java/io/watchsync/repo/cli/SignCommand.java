package io.watchsync.repo.cli;

import io.watchsync.repo.sign.DetachedSigner;
import io.watchsync.repo.sign.RpmSigner;
import io.watchsync.repo.sign.Signer;
import io.watchsync.repo.sign.SigningException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code repo-builder sign}: signs RPM files in place. */
@Command(
    name = "sign",
    description = {
      "Signs each RPM in place, as rpmsign --addsign does: an OpenPGP RSA/SHA-256",
      "signature over the header (what rpm 4.14 and later check) and one over header",
      "and payload (what older rpm checks). A signed package is re-signed. Each file",
      "is replaced atomically.",
      "With --detach, any FILE (a release tarball) gets FILE.asc beside it instead: an",
      "armored detached signature, as gpg --detach-sign --armor writes, for gpgv."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every file signed",
      "1:some file could not be signed (not a sound RPM, not writable); the others are signed",
      "2:usage error (the key cannot be read or unlocked)"
    })
public final class SignCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin HelpOption help;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "SECRET.asc",
      description = "The armored secret key, e.g. from repo-builder keygen (required).")
  Path key;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The key's passphrase, on the first line of FILE (default: none).")
  Path passphraseFile;

  @Option(
      names = "--detach",
      description =
          "Write FILE.asc, an armored detached signature of each FILE, and leave FILE as it is"
              + " (default: off, sign RPMs in place).")
  boolean detach;

  @Parameters(
      paramLabel = "RPM",
      arity = "1..*",
      description = "The packages to sign (with --detach: any files).")
  List<Path> rpms;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Signer signer;
    try {
      signer = Signer.load(key, passphraseFile);
    } catch (SigningException e) {
      err.println(OneLine.of("repo-builder sign: " + e.getMessage()));
      return e.configError() ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }
    RpmSigner inPlace = new RpmSigner(signer);
    DetachedSigner detached = new DetachedSigner(signer);
    int failed = 0;
    for (Path rpm : rpms) {
      try {
        if (detach) {
          out.println(OneLine.of("signed " + rpm + " -> " + detached.sign(rpm)));
        } else {
          inPlace.sign(rpm);
          out.println(OneLine.of("signed " + rpm));
        }
      } catch (SigningException e) {
        err.println(OneLine.of("repo-builder sign: " + e.getMessage()));
        failed++;
      }
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}

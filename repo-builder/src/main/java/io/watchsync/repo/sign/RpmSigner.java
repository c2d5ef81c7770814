package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.rpm.HeaderEntry;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.rpm.RpmLayout;
import io.watchsync.repo.rpm.RpmTags;
import io.watchsync.repo.rpm.SignatureHeaderWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Signs RPM files in place, as {@code rpmsign --addsign} does with an RSA key: an OpenPGP v4
 * RSA/SHA-256 signature over the header (RSAHEADER, what rpm 4.14 and later check) and one over
 * header and payload (PGP, what older rpm checks). Earlier signatures are replaced; the digests and
 * sizes of the signature header are kept; header and payload are copied byte for byte.
 *
 * <p>The signed file is written next to the package ({@code .NAME.RANDOM.part}), read back and
 * checked, flushed, and renamed over the package: a crash leaves the old package or the new one,
 * never a mix.
 */
public final class RpmSigner {
  /** Signatures and rpmsign's reserved space: replaced or no longer needed once re-signed. */
  private static final Set<Integer> REPLACED =
      Set.of(
          RpmTags.SIG_REGION,
          RpmTags.SIG_DSAHEADER,
          RpmTags.SIG_RSAHEADER,
          RpmTags.SIG_PGP,
          RpmTags.SIG_GPG,
          RpmTags.SIG_RESERVEDSPACE);

  private final Signer signer;

  public RpmSigner(Signer signer) {
    this.signer = signer;
  }

  /**
   * Signs {@code file}, which must be a sound RPM.
   *
   * @throws SigningException a failure naming the file: not a sound RPM, or not writable
   */
  public void sign(Path file) throws SigningException {
    RpmLayout layout;
    try {
      RpmFile.read(file);
      layout = RpmLayout.read(file);
    } catch (RpmException e) {
      throw SigningException.failure(e.getMessage() + "; not signed");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path part = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      byte[] signature = signatureHeader(layout, file);
      Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      try (FileChannel channel =
              FileChannel.open(
                  part,
                  Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  PosixFilePermissions.asFileAttribute(mode));
          InputStream in = Files.newInputStream(file)) {
        OutputStream out = Channels.newOutputStream(channel);
        out.write(layout.lead());
        out.write(signature);
        out.write(new byte[RpmLayout.padding(signature.length)]);
        in.skipNBytes(layout.headerStart());
        in.transferTo(out);
        channel.force(true);
      }
      Files.setPosixFilePermissions(part, mode);
      RpmFile.read(part);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (RpmException e) {
      throw SigningException.failure(file + ": changed while it was being signed; not signed");
    } catch (IOException e) {
      throw SigningException.failure(file + ": cannot sign: " + IoErrors.reason(e));
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        // Only a leftover hidden .part file; the package itself is whole either way.
      }
    }
  }

  private byte[] signatureHeader(RpmLayout layout, Path file) throws IOException {
    byte[] headerOnly = signer.sign(layout.headerBytes());
    byte[] headerAndPayload;
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(layout.headerStart());
      headerAndPayload = signer.sign(in);
    }
    List<HeaderEntry> entries = new ArrayList<>();
    for (HeaderEntry e : layout.signature().entries()) {
      if (!REPLACED.contains(e.tag())) {
        entries.add(e);
      }
    }
    entries.add(HeaderEntry.binary(RpmTags.SIG_RSAHEADER, headerOnly));
    entries.add(HeaderEntry.binary(RpmTags.SIG_PGP, headerAndPayload));
    return SignatureHeaderWriter.write(entries);
  }
}

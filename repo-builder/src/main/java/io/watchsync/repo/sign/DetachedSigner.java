package io.watchsync.repo.sign;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Signs any file (a release tarball, say) with an armored detached signature written beside it as
 * {@code FILE.asc}, which {@code gpg --verify} and {@code gpgv} check. The signature is written to
 * a hidden temporary file, flushed and renamed into place, replacing an older one.
 */
public final class DetachedSigner {
  private final Signer signer;

  public DetachedSigner(Signer signer) {
    this.signer = signer;
  }

  /**
   * Signs {@code file}; returns the signature's path.
   *
   * @throws SigningException a failure naming the file
   */
  public Path sign(Path file) throws SigningException {
    Path asc = file.resolveSibling(file.getFileName() + ".asc");
    Path part =
        file.resolveSibling("." + file.getFileName() + ".asc." + UUID.randomUUID() + ".part");
    try {
      if (!Files.isRegularFile(file)) {
        throw SigningException.failure(
            file
                + (Files.exists(file) ? ": not a regular file" : ": no such file")
                + "; not signed");
      }
      String armored;
      try (InputStream in = Files.newInputStream(file)) {
        armored = signer.signArmored(in);
      }
      try (FileChannel channel =
          FileChannel.open(
              part,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
        ByteBuffer buffer = ByteBuffer.wrap(armored.getBytes(StandardCharsets.US_ASCII));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(part, asc, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return asc;
    } catch (NoSuchFileException e) {
      throw SigningException.failure(file + ": no such file; not signed");
    } catch (IOException e) {
      throw SigningException.failure(file + ": cannot sign: " + IoErrors.reason(e));
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        // Only a leftover hidden .part file.
      }
    }
  }
}

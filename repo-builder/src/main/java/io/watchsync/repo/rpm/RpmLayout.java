package io.watchsync.repo.rpm;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The parts of an RPM file as bytes, read without checking any digest: the lead, the signature
 * header, and the main header with where it starts. Signing rewrites the signature header and
 * copies the rest unchanged; verifying needs the exact header bytes a signature covers. The payload
 * is not read: it is everything from {@link #headerStart()} on, after the header.
 */
public record RpmLayout(
    Path path,
    byte[] lead,
    byte[] signatureBytes,
    Header signature,
    byte[] headerBytes,
    Header header,
    long headerStart) {

  /** Reads the lead and both headers of {@code path}. */
  public static RpmLayout read(Path path) throws RpmException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] lead = in.readNBytes(RpmFile.LEAD);
      if (lead.length < 4 || !Arrays.equals(Arrays.copyOf(lead, 4), RpmFile.LEAD_MAGIC)) {
        throw new RpmException(path, "not an RPM (no RPM lead)");
      }
      if (lead.length < RpmFile.LEAD) {
        throw new RpmException(path, "truncated: the file ends inside the lead");
      }
      byte[] sigBytes = RpmFile.readHeader(in, path, "the signature header");
      Header signature = parse(sigBytes, path, "signature header");
      int pad = padding(sigBytes.length);
      RpmFile.readFully(in, pad, path, "the signature padding");
      byte[] hdrBytes = RpmFile.readHeader(in, path, "the header");
      Header header = parse(hdrBytes, path, "header");
      long headerStart = RpmFile.LEAD + sigBytes.length + pad;
      return new RpmLayout(path, lead, sigBytes, signature, hdrBytes, header, headerStart);
    } catch (NoSuchFileException e) {
      throw new RpmException(path, "no such file");
    } catch (IOException e) {
      throw new RpmException(path, "cannot read: " + IoErrors.reason(e));
    }
  }

  /** The zero bytes after a signature header of {@code length} bytes: it ends on 8 bytes. */
  public static int padding(int length) {
    return (8 - length % 8) % 8;
  }

  private static Header parse(byte[] bytes, Path path, String what) throws RpmException {
    try {
      return Header.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new RpmException(path, "corrupt " + what + ": " + e.getMessage());
    }
  }
}

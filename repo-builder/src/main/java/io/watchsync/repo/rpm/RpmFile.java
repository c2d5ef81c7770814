package io.watchsync.repo.rpm;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An RPM file read and checked: the lead, the signature header, the main header (with the byte
 * range it occupies, which repository metadata records) and the digests that cover them. A file
 * that is not an RPM, is cut short or does not match its own digests is rejected with an {@link
 * RpmException} naming the file and the reason.
 */
public final class RpmFile {
  static final int LEAD = 96;
  static final byte[] LEAD_MAGIC = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};
  private static final int SHA256_ALGO = 8;

  /** Each reading thread's payload buffer: a fresh 64 KiB per package is allocation for nothing. */
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[1 << 16]);

  private final Path path;
  private final Header signature;
  private final Header header;
  private final byte[] headerBytes;
  private final long headerStart;
  private final long headerEnd;
  private final long fileSize;

  private RpmFile(
      Path path,
      Header signature,
      Header header,
      byte[] headerBytes,
      long headerStart,
      long headerEnd,
      long size) {
    this.path = path;
    this.signature = signature;
    this.header = header;
    this.headerBytes = headerBytes;
    this.headerStart = headerStart;
    this.headerEnd = headerEnd;
    this.fileSize = size;
  }

  /** Reads and verifies {@code path}. */
  public static RpmFile read(Path path) throws RpmException {
    return read(path, (MessageDigest) null);
  }

  /**
   * Reads and verifies {@code path}, feeding every byte of the file into {@code fileDigest} (when
   * not null) on the way, so the package checksum costs no second read.
   */
  public static RpmFile read(Path path, MessageDigest fileDigest) throws RpmException {
    try (InputStream raw = Files.newInputStream(path)) {
      return read(path, raw, fileDigest);
    } catch (NoSuchFileException e) {
      throw new RpmException(path, "no such file");
    } catch (IOException e) {
      throw new RpmException(path, "cannot read: " + IoErrors.reason(e));
    }
  }

  /**
   * Reads and verifies a package from {@code content}, its whole file from the first byte, to the
   * end, feeding every byte into {@code fileDigest} (when not null): a download is checked in the
   * same pass that writes it. {@code path} names the package in messages and in the result.
   *
   * @throws IOException when {@code content} fails (a dropped connection): not the package's fault
   */
  public static RpmFile read(Path path, InputStream content, MessageDigest fileDigest)
      throws RpmException, IOException {
    InputStream in = digesting(content, fileDigest);
    Parts parts = readParts(path, in);
    long headerAndPayload =
        checkPayload(path, content, fileDigest, parts.signature, parts.header, parts.headerBytes);
    return of(path, parts, parts.headerStart + headerAndPayload);
  }

  /**
   * Reads the lead and both headers of a package whose content is known to be intact (its checksum
   * was verified when it arrived, and the file has not changed since), checking the header against
   * its digest but leaving the payload unread: indexing such a file costs its header, not its size.
   */
  public static RpmFile readHeaders(Path path) throws RpmException {
    try (InputStream in = Files.newInputStream(path)) {
      long size = Files.size(path);
      return of(path, readParts(path, in), size);
    } catch (NoSuchFileException e) {
      throw new RpmException(path, "no such file");
    } catch (IOException e) {
      throw new RpmException(path, "cannot read: " + IoErrors.reason(e));
    }
  }

  /** The package whose lead and headers are {@code parts} and whose file ends at {@code end}. */
  private static RpmFile of(Path path, Parts parts, long end) {
    return new RpmFile(
        path,
        parts.signature,
        parts.header,
        parts.headerBytes,
        parts.headerStart,
        parts.headerStart + parts.headerBytes.length,
        end);
  }

  private record Parts(Header signature, Header header, byte[] headerBytes, long headerStart) {}

  /** The lead and both headers, the header checked against its digest. */
  private static Parts readParts(Path path, InputStream in) throws IOException, RpmException {
    byte[] lead = in.readNBytes(LEAD);
    if (lead.length < 4 || !Arrays.equals(Arrays.copyOf(lead, 4), LEAD_MAGIC)) {
      throw new RpmException(path, "not an RPM (no RPM lead)");
    }
    if (lead.length < LEAD) {
      throw new RpmException(path, "truncated: the file ends inside the lead");
    }
    byte[] sigBytes = readHeader(in, path, "the signature header");
    Header signature = parse(sigBytes, path, "signature header");
    int pad = (8 - sigBytes.length % 8) % 8;
    readFully(in, pad, path, "the signature padding");
    long headerStart = LEAD + sigBytes.length + pad;
    byte[] hdrBytes = readHeader(in, path, "the header");
    Header header = parse(hdrBytes, path, "header");
    checkHeaderDigest(path, signature, hdrBytes);
    return new Parts(signature, header, hdrBytes, headerStart);
  }

  private static InputStream digesting(InputStream in, MessageDigest digest) {
    return digest == null ? in : new DigestInputStream(in, digest);
  }

  private static Header parse(byte[] bytes, Path path, String what) throws RpmException {
    try {
      return Header.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new RpmException(path, "corrupt " + what + ": " + e.getMessage());
    }
  }

  static byte[] readHeader(InputStream in, Path path, String what)
      throws IOException, RpmException {
    byte[] intro = readFully(in, 16, path, what);
    ByteBuffer b = ByteBuffer.wrap(intro);
    if (b.getInt(0) != Header.MAGIC) {
      throw new RpmException(path, "corrupt: " + what + " has no header magic");
    }
    int count = b.getInt(8);
    int size = b.getInt(12);
    if (count < 0 || count > 100_000 || size < 0 || size > 256 << 20) {
      throw new RpmException(path, "corrupt: " + what + " claims an impossible size");
    }
    long length = Header.length(count, size);
    byte[] all = Arrays.copyOf(intro, (int) length);
    if (in.readNBytes(all, 16, all.length - 16) < all.length - 16) {
      throw new RpmException(path, "truncated: the file ends inside " + what);
    }
    return all;
  }

  static byte[] readFully(InputStream in, int n, Path path, String what)
      throws IOException, RpmException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new RpmException(path, "truncated: the file ends inside " + what);
    }
    return b;
  }

  private static void checkHeaderDigest(Path path, Header signature, byte[] hdr)
      throws RpmException {
    String expected = signature.string(RpmTags.SIG_SHA256);
    String algo = "SHA-256";
    if (expected == null) {
      expected = signature.string(RpmTags.SIG_SHA1);
      algo = "SHA-1";
    }
    if (expected == null) {
      return;
    }
    String actual = HexFormat.of().formatHex(Digests.newDigest(algo).digest(hdr));
    if (!actual.equalsIgnoreCase(expected)) {
      throw new RpmException(path, "corrupt: the header does not match its " + algo + " digest");
    }
  }

  /**
   * Reads the payload from {@code raw} (positioned just after the header) to its end, feeding the
   * file digest (when not null) and the payload digests from one buffer, and checks size and
   * digests.
   *
   * @return the size of header and payload
   */
  private static long checkPayload(
      Path path,
      InputStream raw,
      MessageDigest fileDigest,
      Header signature,
      Header header,
      byte[] headerBytes)
      throws IOException, RpmException {
    String payloadDigest = header.string(RpmTags.PAYLOADDIGEST);
    boolean sha256 =
        payloadDigest != null && header.number(RpmTags.PAYLOADDIGESTALGO, -1) == SHA256_ALGO;
    // MD5 over header and payload adds nothing once both have been checked by SHA-256 (rpm 4.14
    // and later write both digests), and it would be the slowest of the digests: skip it then.
    boolean headerSha256 = signature.string(RpmTags.SIG_SHA256) != null;
    MessageDigest md5 = sha256 && headerSha256 ? null : Digests.newDigest("MD5");
    if (md5 != null) {
      md5.update(headerBytes);
    }
    MessageDigest payload = sha256 ? Digests.sha256() : null;
    byte[] buffer = SCRATCH.get();
    long headerAndPayload = headerBytes.length;
    int n;
    while ((n = raw.read(buffer)) > 0) {
      headerAndPayload += n;
      if (fileDigest != null) {
        fileDigest.update(buffer, 0, n);
      }
      if (payload != null) {
        payload.update(buffer, 0, n);
      }
      if (md5 != null) {
        md5.update(buffer, 0, n);
      }
    }
    long expectedSize =
        signature.number(RpmTags.SIG_LONGSIZE, signature.number(RpmTags.SIG_SIZE, -1));
    if (expectedSize >= 0 && expectedSize != headerAndPayload) {
      throw new RpmException(
          path,
          expectedSize > headerAndPayload
              ? "truncated: " + (expectedSize - headerAndPayload) + " bytes of payload missing"
              : "corrupt: " + (headerAndPayload - expectedSize) + " bytes after the payload");
    }
    if (payload != null && !Digests.hex(payload).equalsIgnoreCase(payloadDigest)) {
      throw new RpmException(path, "corrupt: the payload does not match its SHA-256 digest");
    }
    byte[] expectedMd5 = signature.bin(RpmTags.SIG_MD5);
    if (md5 != null && expectedMd5 != null && !Arrays.equals(expectedMd5, md5.digest())) {
      throw new RpmException(path, "corrupt: header and payload do not match their MD5 digest");
    }
    return headerAndPayload;
  }

  public Path path() {
    return path;
  }

  public Header signature() {
    return signature;
  }

  public Header header() {
    return header;
  }

  /** The main header as it is in the file: what a header signature covers. */
  public byte[] headerBytes() {
    return headerBytes.clone();
  }

  /** Where the main header starts in the file (repository metadata's header-range start). */
  public long headerStart() {
    return headerStart;
  }

  /** Where the main header ends (header-range end). */
  public long headerEnd() {
    return headerEnd;
  }

  public long fileSize() {
    return fileSize;
  }

  public boolean isSource() {
    return !header.has(RpmTags.SOURCERPM);
  }
}

package io.watchsync.repo.index;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * gzip as zlib's {@code gzopen(…, "wb")} writes it, which is what createrepo_c's .gz files are: a
 * ten-byte header with no modification time, no name, XFL 0 and OS 3 (Unix), a raw deflate stream
 * at zlib's default level, then CRC-32 and length. Java's {@code GZIPOutputStream} writes OS 255
 * (unknown), one byte that would change every file's checksum in repomd.xml although the deflate
 * stream is the same.
 */
final class GzopenOutputStream extends DeflaterOutputStream {
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

  private final CRC32 crc = new CRC32();
  private boolean finished;

  GzopenOutputStream(OutputStream out, int bufferSize) throws IOException {
    super(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), bufferSize);
    out.write(HEADER);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    super.write(b, off, len);
    crc.update(b, off, len);
  }

  @Override
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    super.finish();
    writeIntLittleEndian((int) crc.getValue());
    writeIntLittleEndian((int) def.getBytesRead());
    finished = true;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      def.end(); // ours, not the stream's default one: DeflaterOutputStream leaves it to us
    }
  }

  private void writeIntLittleEndian(int v) throws IOException {
    out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
  }
}

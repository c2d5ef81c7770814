package io.watchsync.repo.index;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/** How metadata files are compressed; the suffix also tells how to read one back. */
public enum Compression {
  GZ("gz", ".gz"),
  XZ("xz", ".xz"),
  ZSTD("zstd", ".zst"),
  NONE("none", "");

  private final String optionName;
  private final String suffix;

  Compression(String optionName, String suffix) {
    this.optionName = optionName;
    this.suffix = suffix;
  }

  public String suffix() {
    return suffix;
  }

  public OutputStream compress(OutputStream out) throws IOException {
    return switch (this) {
      case GZ -> new GzopenOutputStream(out, 1 << 16);
      case XZ -> new XZOutputStream(out, new LZMA2Options(6));
      case ZSTD -> new ZstdOutputStream(out);
      case NONE -> out;
    };
  }

  public InputStream decompress(InputStream in) throws IOException {
    return switch (this) {
      case GZ -> new GZIPInputStream(in, 1 << 16);
      case XZ -> new XZInputStream(new BufferedInputStream(in, 1 << 16));
      case ZSTD -> new ZstdInputStream(new BufferedInputStream(in, 1 << 16));
      case NONE -> in;
    };
  }

  /** gz, xz or zstd (the --compress values); null for anything else. */
  public static Compression parse(String name) {
    for (Compression c : values()) {
      if (c != NONE && c.optionName.equalsIgnoreCase(name)) {
        return c;
      }
    }
    return null;
  }

  /** Which compression a metadata file name says it has (.gz, .xz, .zst, .bz2 unsupported). */
  public static Compression ofFileName(String name) {
    for (Compression c : values()) {
      if (c != NONE && name.endsWith(c.suffix)) {
        return c;
      }
    }
    return name.endsWith(".xml") ? NONE : null;
  }

  @Override
  public String toString() {
    return optionName;
  }
}

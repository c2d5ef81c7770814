package io.watchsync.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a journal with a snapshot of what it holds, so that a crash at any moment leaves either
 * the old file or the new one, whole: the snapshot is written beside the journal as {@code
 * <name>.new} and flushed to disk (fsync), renamed over the journal, and the directory is flushed
 * so that the rename itself survives a power cut.
 */
public final class Snapshot {
  /** Writes the snapshot's bytes. */
  @FunctionalInterface
  public interface Content {
    void writeTo(FileChannel out) throws IOException;
  }

  private Snapshot() {}

  /** Replaces {@code file} with what {@code content} writes. */
  public static void replace(Path file, Content content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".new");
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      content.writeTo(out);
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** Writes what remains of {@code bytes} to {@code out}. */
  public static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}

package io.watchsync.agent.generation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Raises a tree's generation on disk, atomically and durably. */
public final class GenerationFile {
  private GenerationFile() {}

  /**
   * Raises the generation of the tree at {@code root} by one, recording {@code node} as the node
   * that raised it: the new file is written beside the old one, flushed, renamed over it, and the
   * directory flushed, so a crash leaves either the old generation or the new one.
   *
   * @return the new generation
   */
  public static TreeGeneration raise(Path root, String node) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException(root + " is not a directory");
    }
    TreeGeneration next = TreeGeneration.of(root).next(node);
    Path file = root.resolve(TreeGeneration.FILE_NAME);
    Path temp = Files.createTempFile(root, TreeGeneration.FILE_NAME + ".", ".new");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(next.format().getBytes(StandardCharsets.UTF_8)));
        out.force(true);
      }
      Files.setPosixFilePermissions(
          temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(root + ": cannot replace " + file + " atomically", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
      dir.force(true);
    }
    return next;
  }
}

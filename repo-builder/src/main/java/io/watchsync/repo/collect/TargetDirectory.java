package io.watchsync.repo.collect;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * The directory packages are collected into. A package goes in under its own file name, as a hard
 * link to the source when both are on one file system, as a copy otherwise. A file that is already
 * there is never replaced: the same content is "already present", different content is a conflict.
 *
 * <p>A copy is written to a hidden temporary name in the directory ({@code .NAME.RANDOM.part}),
 * checked against the source's SHA-256, flushed to disk and only then given its real name with
 * {@code link(2)}, which fails rather than replace a file that appeared meanwhile. A crash can
 * leave a {@code .part} file behind, never a partial file under a package's name.
 */
final class TargetDirectory {
  /** The result of placing one package. */
  sealed interface Outcome permits Placed, Present, Conflict, Failed {}

  record Placed(Path destination, CollectResult.Method method) implements Outcome {}

  record Present(Path existing) implements Outcome {}

  record Conflict(Path existing) implements Outcome {}

  record Failed(String reason) implements Outcome {}

  private final Path dir;

  TargetDirectory(Path dir) {
    this.dir = dir;
  }

  /** Puts {@code source}, whose content has SHA-256 {@code sha256}, into the directory. */
  Outcome place(Path source, String sha256) {
    Path destination = dir.resolve(source.getFileName().toString());
    try {
      Outcome existing = compareExisting(destination, sha256);
      if (existing != null) {
        return existing;
      }
      try {
        Files.createLink(destination, source);
        return new Placed(destination, CollectResult.Method.HARD_LINK);
      } catch (FileAlreadyExistsException e) {
        return compareExisting(destination, sha256);
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        // Another file system, no hard links there, or not allowed (fs.protected_hardlinks).
        return copy(source, sha256, destination);
      }
    } catch (IOException e) {
      return new Failed("cannot put it in " + dir + ": " + IoErrors.reason(e));
    }
  }

  /** What is at {@code destination} already, or null when nothing is. */
  private static Outcome compareExisting(Path destination, String sha256) throws IOException {
    if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    if (!Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
      return new Conflict(destination);
    }
    return sha256Of(destination).equals(sha256)
        ? new Present(destination)
        : new Conflict(destination);
  }

  private static String sha256Of(Path file) throws IOException {
    MessageDigest sha = Digests.sha256();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return Digests.hex(sha);
  }

  private Outcome copy(Path source, String sha256, Path destination) throws IOException {
    Path part = dir.resolve("." + destination.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      MessageDigest sha = Digests.sha256();
      try (InputStream in = Files.newInputStream(source);
          FileChannel channel =
              FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
        channel.force(true);
      }
      if (!Digests.hex(sha).equals(sha256)) {
        return new Failed("changed while it was being copied; run collect again");
      }
      return publish(part, sha256, destination);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Gives the finished copy its real name without ever replacing a file of that name. */
  private static Outcome publish(Path part, String sha256, Path destination) throws IOException {
    try {
      Files.createLink(destination, part);
    } catch (FileAlreadyExistsException e) {
      return compareExisting(destination, sha256);
    } catch (IOException | UnsupportedOperationException e) {
      // A file system without hard links: rename(2) is atomic but would replace, so look first.
      Outcome existing = compareExisting(destination, sha256);
      if (existing != null) {
        return existing;
      }
      Files.move(part, destination, StandardCopyOption.ATOMIC_MOVE);
    }
    return new Placed(destination, CollectResult.Method.COPY);
  }

  /** Flushes the directory itself, so the new names survive a crash. */
  void sync() throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}

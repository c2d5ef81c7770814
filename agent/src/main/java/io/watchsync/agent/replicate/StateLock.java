package io.watchsync.agent.replicate;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a target's state directory, so two agents never replay or write the same
 * journal. Held with {@code flock}-style file locking: the kernel drops it when the process dies.
 */
public final class StateLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dir}, creating it if needed.
   *
   * @throws IllegalStateException when another process holds the lock
   */
  public static StateLock acquire(Path dir, String what) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another watchsync agent is already replicating "
              + what
              + " (state directory "
              + dir
              + " is locked)");
    }
    return new StateLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}

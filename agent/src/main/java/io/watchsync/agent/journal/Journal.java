package io.watchsync.agent.journal;

import io.watchsync.agent.fs.RelPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pending changes of one target, kept on disk so that kill -9, a crash or a reboot loses
 * nothing.
 *
 * <p>An append-only log of records {@code [op][length][crc32][path bytes]}: a path was queued
 * (plain or recursive), a path was sent, a full sync was asked for or finished. Each record is
 * written to the kernel at once, so a killed process loses nothing; {@link #force()} (called about
 * once a second) bounds what a power cut can lose. A torn or corrupt tail is cut off on open. When
 * the log grows past what the queue holds, it is rewritten as a snapshot beside the old one and
 * swapped in as a {@link Snapshot}.
 *
 * <p>Not thread-safe: the target's queue of pending changes calls it under its lock.
 */
public final class Journal implements AutoCloseable {
  private static final byte[] MAGIC = {'W', 'S', 'J', '1'};
  private static final byte ADD = 'A';
  private static final byte ADD_RECURSIVE = 'R';
  private static final byte DONE = 'D';
  private static final byte FULL_SYNC_WANTED = 'F';
  private static final byte FULL_SYNC_DONE = 'S';

  /** {@code [op][length][crc32]}. */
  private static final int HEADER = 1 + CheckedBody.HEADER;

  private static final long COMPACT_MIN_BYTES = 4L << 20;

  /** What the journal held when it was opened. */
  public record Replay(
      Map<RelPath, Boolean> pending,
      boolean fullSyncWanted,
      boolean cleanStop,
      boolean firstStart) {}

  private final Path file;
  private final Path cleanMarker;
  private final Replay replay;
  private FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private long records;
  private boolean dirty;

  private Journal(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve("journal");
    this.cleanMarker = dir.resolve("clean-stop");
    boolean firstStart = !Files.exists(file);
    boolean clean = Files.exists(cleanMarker);
    ReadResult read = firstStart ? new ReadResult(new LinkedHashMap<>(), false, 0) : read(file);
    this.replay = new Replay(read.pending, read.fullSyncWanted, clean, firstStart);
    if (firstStart || read.validBytes == 0) {
      writeSnapshot(read.pending, read.fullSyncWanted);
    }
    this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.truncate(Math.max(MAGIC.length, read.validBytes));
    channel.position(channel.size());
    this.records = read.pending.size();
    Files.deleteIfExists(cleanMarker);
  }

  /** Opens (or creates) the journal in {@code dir}. */
  public static Journal open(Path dir) throws IOException {
    return new Journal(dir);
  }

  public Replay replay() {
    return replay;
  }

  public void added(RelPath path, boolean recursive) {
    append(recursive ? ADD_RECURSIVE : ADD, path);
  }

  public void done(RelPath path) {
    append(DONE, path);
  }

  public void fullSyncWanted() {
    append(FULL_SYNC_WANTED, RelPath.ROOT);
  }

  public void fullSyncDone() {
    append(FULL_SYNC_DONE, RelPath.ROOT);
  }

  /** True when the log holds many more records than the queue: time to {@link #compact}. */
  public boolean wantsCompaction(int pendingEntries) {
    try {
      return records > 4L * pendingEntries + 1024 && channel.size() > COMPACT_MIN_BYTES;
    } catch (IOException e) {
      return false;
    }
  }

  /** Rewrites the log as a snapshot of {@code pending}, swapped in atomically. */
  public void compact(Map<RelPath, Boolean> pending, boolean fullSyncWanted) {
    try {
      channel.close();
      writeSnapshot(pending, fullSyncWanted);
      channel = FileChannel.open(file, StandardOpenOption.WRITE);
      channel.position(channel.size());
      records = pending.size();
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Flushes written records to the disk (fsync). */
  public void force() {
    try {
      if (dirty && channel.isOpen()) {
        channel.force(false);
        dirty = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the final snapshot and marks the stop as clean. */
  public void closeClean(Map<RelPath, Boolean> pending, boolean fullSyncWanted) throws IOException {
    compact(pending, fullSyncWanted);
    channel.force(true);
    channel.close();
    Files.writeString(cleanMarker, "");
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      force();
      channel.close();
    }
  }

  private void append(byte op, RelPath path) {
    buffer.clear();
    int len = path.length();
    ByteBuffer target =
        len + HEADER <= buffer.capacity() ? buffer : ByteBuffer.allocate(len + HEADER);
    put(target, op, path);
    target.flip();
    try {
      while (target.hasRemaining()) {
        channel.write(target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("journal " + file + ": " + e.getMessage(), e);
    }
    records++;
    dirty = true;
  }

  private static void put(ByteBuffer out, byte op, RelPath path) {
    out.put(op);
    CheckedBody.put(out, op, path.bytes());
  }

  private void writeSnapshot(Map<RelPath, Boolean> pending, boolean fullSyncWanted)
      throws IOException {
    Snapshot.replace(
        file,
        out -> {
          ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
          buf.put(MAGIC);
          if (fullSyncWanted) {
            put(buf, FULL_SYNC_WANTED, RelPath.ROOT);
          }
          for (Map.Entry<RelPath, Boolean> e : pending.entrySet()) {
            if (buf.remaining() < e.getKey().length() + HEADER) {
              buf.flip();
              Snapshot.writeFully(out, buf);
              buf = ByteBuffer.allocate(Math.max(256 * 1024, e.getKey().length() + HEADER));
            }
            put(buf, e.getValue() ? ADD_RECURSIVE : ADD, e.getKey());
          }
          buf.flip();
          Snapshot.writeFully(out, buf);
        });
  }

  private record ReadResult(
      LinkedHashMap<RelPath, Boolean> pending, boolean fullSyncWanted, long validBytes) {}

  private static ReadResult read(Path file) throws IOException {
    LinkedHashMap<RelPath, Boolean> pending = new LinkedHashMap<>();
    boolean fullSync = false;
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    byte[] magic = new byte[MAGIC.length];
    if (in.remaining() < MAGIC.length) {
      return new ReadResult(pending, true, 0);
    }
    in.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IOException("journal " + file + " is not a watchsync journal");
    }
    long valid = in.position();
    while (in.remaining() >= HEADER) {
      byte op = in.get();
      byte[] bytes = CheckedBody.get(in, op);
      if (bytes == null) {
        break;
      }
      RelPath path = RelPath.of(bytes);
      switch (op) {
        case ADD -> pending.merge(path, false, Boolean::logicalOr);
        case ADD_RECURSIVE -> pending.put(path, true);
        case DONE -> pending.remove(path);
        case FULL_SYNC_WANTED -> fullSync = true;
        case FULL_SYNC_DONE -> fullSync = false;
        default -> {
          return new ReadResult(pending, true, valid);
        }
      }
      valid = in.position();
    }
    return new ReadResult(pending, fullSync, valid);
  }
}

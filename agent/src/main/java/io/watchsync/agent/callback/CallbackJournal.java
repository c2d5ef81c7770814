package io.watchsync.agent.callback;

import io.watchsync.agent.journal.CheckedBody;
import io.watchsync.agent.journal.Snapshot;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The callbacks one URL has not yet accepted, on disk: they survive a restart, and memory holds
 * only where each one sits in the file, never the bodies.
 *
 * <p>An append-only log of records {@code [op][seq][length][crc32][body]}: an event was queued
 * ({@code E}) or accepted ({@code D}). A torn tail is cut off on open; accepted events are dropped
 * from the file when it is rewritten on open, and the file is emptied whenever nothing waits.
 */
final class CallbackJournal implements AutoCloseable {
  private static final byte[] MAGIC = {'W', 'S', 'C', '1'};
  private static final byte EVENT = 'E';
  private static final byte DONE = 'D';

  /** {@code [op][seq][length][crc32]}. */
  private static final int HEADER = 1 + Long.BYTES + CheckedBody.HEADER;

  /** The most event bytes that wait per URL; past it the oldest events are dropped. */
  static final long MAX_WAITING_BYTES = 32L << 20;

  /** Where one waiting event's body sits. */
  record Waiting(long seq, long offset, int length) {}

  private final Path file;

  /** Not a FileChannel: an interrupted thread (a replication worker at stop) must not close it. */
  private final RandomAccessFile raf;

  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private long nextSeq = 1;
  private long waitingBytes;
  private boolean dirty;

  private CallbackJournal(Path file) throws IOException {
    this.file = file;
    ArrayDeque<byte[]> bodies = Files.exists(file) ? read(file) : new ArrayDeque<>();
    writeSnapshot(file, bodies);
    this.raf = new RandomAccessFile(file.toFile(), "rw");
    long offset = MAGIC.length;
    for (byte[] body : bodies) {
      waiting.add(new Waiting(nextSeq++, offset + HEADER, body.length));
      waitingBytes += body.length;
      offset += HEADER + body.length;
    }
  }

  static CallbackJournal open(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return new CallbackJournal(file);
  }

  synchronized int size() {
    return waiting.size();
  }

  /**
   * Appends an event, first dropping the oldest ones if it would take the journal past {@link
   * #MAX_WAITING_BYTES}; returns how many were dropped.
   */
  synchronized int add(byte[] body) {
    int dropped = 0;
    while (!waiting.isEmpty() && waitingBytes + body.length > MAX_WAITING_BYTES) {
      done(waiting.peek());
      dropped++;
    }
    long seq = nextSeq++;
    try {
      long offset = raf.length();
      write(EVENT, seq, body);
      waiting.add(new Waiting(seq, offset + HEADER, body.length));
      waitingBytes += body.length;
    } catch (IOException e) {
      throw new UncheckedIOException("callback journal " + file + ": " + e.getMessage(), e);
    }
    return dropped;
  }

  /** The oldest waiting event, or null. */
  synchronized Waiting head() {
    return waiting.peek();
  }

  synchronized byte[] body(Waiting w) throws IOException {
    byte[] body = new byte[w.length()];
    raf.seek(w.offset());
    raf.readFully(body);
    return body;
  }

  /** Marks the oldest event accepted (or dropped). */
  synchronized void done(Waiting w) {
    if (waiting.peek() == null || waiting.peek().seq() != w.seq()) {
      return;
    }
    waiting.poll();
    waitingBytes -= w.length();
    try {
      if (waiting.isEmpty()) {
        raf.setLength(MAGIC.length);
      } else {
        write(DONE, w.seq(), new byte[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("callback journal " + file + ": " + e.getMessage(), e);
    }
  }

  private void write(byte op, long seq, byte[] body) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(HEADER + body.length);
    put(buf, op, seq, body);
    raf.seek(raf.length());
    raf.write(buf.array(), 0, buf.position());
    dirty = true;
  }

  private static void put(ByteBuffer out, byte op, long seq, byte[] body) {
    out.put(op).putLong(seq);
    CheckedBody.put(out, op, body);
  }

  /** The bodies of the events not marked done, oldest first. */
  private static ArrayDeque<byte[]> read(Path file) throws IOException {
    java.util.LinkedHashMap<Long, byte[]> events = new java.util.LinkedHashMap<>();
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    if (in.remaining() >= MAGIC.length) {
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a watchsync callback journal");
      }
      while (in.remaining() >= HEADER) {
        byte op = in.get();
        long seq = in.getLong();
        byte[] body = CheckedBody.get(in, op);
        if (body == null) {
          break;
        }
        if (op == EVENT) {
          events.put(seq, body);
        } else if (op == DONE) {
          events.remove(seq);
        } else {
          break;
        }
      }
    }
    return new ArrayDeque<>(events.values());
  }

  /**
   * Replaces {@code file} with the events {@code pending}, renumbered from 1 in that order: the
   * offsets the constructor computes from the same bodies are where they now sit.
   */
  private static void writeSnapshot(Path file, ArrayDeque<byte[]> pending) throws IOException {
    Snapshot.replace(
        file,
        out -> {
          Snapshot.writeFully(out, ByteBuffer.wrap(MAGIC));
          long seq = 1;
          for (byte[] body : pending) {
            ByteBuffer buf = ByteBuffer.allocate(HEADER + body.length);
            put(buf, EVENT, seq++, body);
            buf.flip();
            Snapshot.writeFully(out, buf);
          }
        });
  }

  /** Flushes what was written since the last call to disk (fsync). */
  synchronized void force() {
    try {
      if (!dirty || !raf.getFD().valid()) {
        return;
      }
      dirty = false;
      raf.getFD().sync();
    } catch (IOException e) {
      throw new UncheckedIOException("callback journal " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (raf.getFD().valid()) {
      raf.getFD().sync();
      raf.close();
    }
  }
}

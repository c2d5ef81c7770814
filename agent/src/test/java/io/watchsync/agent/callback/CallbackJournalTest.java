package io.watchsync.agent.callback;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbackJournalTest {
  @TempDir Path dir;

  private static List<String> drain(CallbackJournal j) throws Exception {
    List<String> out = new ArrayList<>();
    CallbackJournal.Waiting w;
    while ((w = j.head()) != null) {
      out.add(new String(j.body(w), UTF_8));
      j.done(w);
    }
    return out;
  }

  /**
   * One record {@code [op][seq][length][crc32 of op and body][body]}, built by hand from the
   * documented layout: journals written by earlier versions must still be read after an upgrade.
   */
  private static byte[] record(char op, long seq, String body) {
    byte[] bytes = body.getBytes(UTF_8);
    CRC32 crc = new CRC32();
    crc.update((byte) op);
    crc.update(bytes);
    return ByteBuffer.allocate(17 + bytes.length)
        .put((byte) op)
        .putLong(seq)
        .putInt(bytes.length)
        .putInt((int) crc.getValue())
        .put(bytes)
        .array();
  }

  private static byte[] journal(byte[]... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("WSC1".getBytes(UTF_8));
    for (byte[] r : records) {
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  @Test
  void eventsAndAcceptancesAreWrittenAsOpSeqLengthCrcAndBodyAfterTheMagic() throws Exception {
    Path file = dir.resolve("journal");
    try (CallbackJournal j = CallbackJournal.open(file)) {
      j.add("one".getBytes(UTF_8));
      j.add("two".getBytes(UTF_8));
      j.done(j.head());
    }
    assertArrayEquals(
        journal(record('E', 1, "one"), record('E', 2, "two"), record('D', 1, "")),
        Files.readAllBytes(file));
  }

  @Test
  void aJournalInTheDocumentedLayoutIsReadAndRenumberedOnOpen() throws Exception {
    Path file = dir.resolve("journal");
    Files.write(
        file,
        journal(
            record('E', 7, "accepted"),
            record('E', 8, "waiting"),
            record('D', 7, ""),
            record('E', 9, "also waiting")));
    try (CallbackJournal j = CallbackJournal.open(file)) {
      assertArrayEquals(
          journal(record('E', 1, "waiting"), record('E', 2, "also waiting")),
          Files.readAllBytes(file),
          "rewritten on open: accepted events dropped, the rest renumbered from 1");
      assertEquals(List.of("waiting", "also waiting"), drain(j));
    }
  }

  @Test
  void aRecordWhoseCrcDoesNotMatchEndsTheRead() throws Exception {
    Path file = dir.resolve("journal");
    byte[] corrupt = record('E', 2, "corrupt");
    corrupt[corrupt.length - 1] ^= 1;
    Files.write(file, journal(record('E', 1, "kept"), corrupt, record('E', 3, "after")));
    try (CallbackJournal j = CallbackJournal.open(file)) {
      assertEquals(List.of("kept"), drain(j));
    }
  }

  @Test
  void eventsNotAcceptedAreReadBackInOrderAfterAReopen() throws Exception {
    Path file = dir.resolve("journal");
    try (CallbackJournal j = CallbackJournal.open(file)) {
      j.add("one".getBytes(UTF_8));
      j.add("two".getBytes(UTF_8));
      j.add("three".getBytes(UTF_8));
      j.done(j.head());
    }
    try (CallbackJournal j = CallbackJournal.open(file)) {
      assertEquals(2, j.size());
      j.add("four".getBytes(UTF_8));
      assertEquals(List.of("two", "three", "four"), drain(j));
    }
    try (CallbackJournal j = CallbackJournal.open(file)) {
      assertNull(j.head());
    }
    assertEquals(4, Files.size(file), "an empty journal is just its magic");
  }

  @Test
  void aTornLastRecordIsCutOffAndTheRestKept() throws Exception {
    Path file = dir.resolve("journal");
    try (CallbackJournal j = CallbackJournal.open(file)) {
      j.add("kept".getBytes(UTF_8));
      j.add("torn in half by a crash".getBytes(UTF_8));
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(raf.length() - 5);
    }
    try (CallbackJournal j = CallbackJournal.open(file)) {
      assertEquals(List.of("kept"), drain(j));
    }
  }

  @Test
  void pastItsSizeLimitTheOldestEventsAreDropped() throws Exception {
    byte[] big = new byte[(int) (CallbackJournal.MAX_WAITING_BYTES / 3) + 1];
    try (CallbackJournal j = CallbackJournal.open(dir.resolve("journal"))) {
      assertEquals(0, j.add(big));
      assertEquals(0, j.add(big));
      assertEquals(1, j.add(big));
      assertEquals(2, j.size());
    }
  }
}

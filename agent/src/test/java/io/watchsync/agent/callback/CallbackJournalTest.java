package io.watchsync.agent.callback;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

package io.watchsync.agent.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {
  @TempDir Path dir;

  @Test
  void theSnapshotTakesTheJournalsPlaceAndLeavesNothingBeside() throws Exception {
    Path journal = dir.resolve("journal");
    Files.writeString(journal, "old records");

    Snapshot.replace(
        journal, out -> Snapshot.writeFully(out, ByteBuffer.wrap("new".getBytes(UTF_8))));

    assertEquals("new", Files.readString(journal));
    assertFalse(Files.exists(dir.resolve("journal.new")));
  }

  @Test
  void aSnapshotThatFailsHalfWrittenLeavesTheJournalAsItWas() throws Exception {
    Path journal = dir.resolve("journal");
    Files.writeString(journal, "old records");

    assertThrows(
        IOException.class,
        () ->
            Snapshot.replace(
                journal,
                out -> {
                  Snapshot.writeFully(out, ByteBuffer.wrap("half".getBytes(UTF_8)));
                  throw new IOException("disk full");
                }));

    assertEquals("old records", Files.readString(journal));
  }
}

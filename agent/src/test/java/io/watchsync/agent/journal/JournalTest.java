package io.watchsync.agent.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's bytes on disk, built here by hand from its documented layout: journals written by
 * earlier versions must still be read after an upgrade.
 */
class JournalTest {
  @TempDir Path state;

  /** One record {@code [op][length][crc32 of op and path][path]}. */
  private static byte[] record(char op, String path) {
    byte[] body = path.getBytes(UTF_8);
    CRC32 crc = new CRC32();
    crc.update((byte) op);
    crc.update(body);
    return ByteBuffer.allocate(9 + body.length)
        .put((byte) op)
        .putInt(body.length)
        .putInt((int) crc.getValue())
        .put(body)
        .array();
  }

  private static byte[] journal(byte[]... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("WSJ1".getBytes(UTF_8));
    for (byte[] r : records) {
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  @Test
  void recordsAreWrittenAsOpLengthCrcAndPathAfterTheMagic() throws Exception {
    try (Journal j = Journal.open(state)) {
      j.added(RelPath.of("a/b.txt"), false);
      j.added(RelPath.of("tree"), true);
      j.done(RelPath.of("a/b.txt"));
      j.fullSyncWanted();
    }
    assertArrayEquals(
        journal(
            record('A', "a/b.txt"), record('R', "tree"), record('D', "a/b.txt"), record('F', "")),
        Files.readAllBytes(state.resolve("journal")));
  }

  @Test
  void aJournalInTheDocumentedLayoutIsReplayed() throws Exception {
    Files.write(
        state.resolve("journal"),
        journal(
            record('F', ""),
            record('A', "plain"),
            record('R', "tree"),
            record('A', "sent"),
            record('D', "sent"),
            record('S', ""),
            record('A', "tree")));
    Journal.Replay replay = Journal.open(state).replay();
    assertEquals(
        List.of(RelPath.of("plain"), RelPath.of("tree")), List.copyOf(replay.pending().keySet()));
    assertFalse(replay.pending().get(RelPath.of("plain")));
    assertTrue(replay.pending().get(RelPath.of("tree")), "a later plain add keeps it recursive");
    assertFalse(replay.fullSyncWanted(), "the full sync was done");
  }

  @Test
  void aRecordWhoseCrcDoesNotMatchEndsTheReplay() throws Exception {
    byte[] corrupt = record('A', "corrupt");
    corrupt[corrupt.length - 1] ^= 1;
    Files.write(
        state.resolve("journal"),
        journal(record('A', "kept"), corrupt, record('A', "after-the-corruption")));
    Journal.Replay replay = Journal.open(state).replay();
    assertEquals(List.of(RelPath.of("kept")), List.copyOf(replay.pending().keySet()));
  }
}

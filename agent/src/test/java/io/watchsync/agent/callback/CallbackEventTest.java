package io.watchsync.agent.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Work;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackEventTest {
  private static final Work BATCH = new Work.Batch(List.of(RelPath.of("a")), List.of());

  @Test
  void sentFilesAreChangedDeletionsDeletedAndDirectoryTimesLeftOut() throws Exception {
    Delivery d =
        new Delivery(
            Delivery.Verdict.DONE,
            "",
            3,
            10,
            List.of(
                ">f+++++++++ docs/a.txt",
                "cd+++++++++ docs/new/",
                ".d..t...... docs/",
                ".f...p..... docs/mode-changed",
                "*deleting docs/old.txt"));
    byte[] body = CallbackEvent.of("backup1", BATCH, d, Instant.parse("2026-01-02T03:04:05Z"));
    assertEquals(
        "{\"target\":\"backup1\",\"changed\":[\"docs/a.txt\",\"docs/new/\",\"docs/mode-changed\"],"
            + "\"deleted\":[\"docs/old.txt\"],\"time\":\"2026-01-02T03:04:05Z\"}",
        new String(body, java.nio.charset.StandardCharsets.UTF_8));
    new ObjectMapper().readTree(body);
  }

  @Test
  void aRunThatChangedNothingIsNotAnnounced() {
    Delivery d = new Delivery(Delivery.Verdict.DONE, "", 0, 0, List.of(".d..t...... ./"));
    assertNull(CallbackEvent.of("t", BATCH, d, Instant.now()));
  }

  @Test
  void aDirectoryRenamedOnTheTargetIsAnnouncedAsOldNameDeletedNewNameChanged() throws Exception {
    Work rename = new Work.Renames(List.of(new Work.Rename(RelPath.of("old"), RelPath.of("new"))));
    byte[] body = CallbackEvent.of("t", rename, Delivery.done("renamed"), Instant.EPOCH);
    var json = new ObjectMapper().readTree(body);
    assertEquals("new/", json.path("changed").get(0).asText());
    assertEquals("old/", json.path("deleted").get(0).asText());
  }
}

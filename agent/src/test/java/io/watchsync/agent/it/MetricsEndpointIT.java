package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code /metrics} scraped while a real agent replicates to a real rsync daemon. */
@EnabledOnOs(OS.LINUX)
class MetricsEndpointIT extends WithReplicationFixture {

  private String target() {
    return "target=\"" + f.agent.targetStatus().get(0).name() + "\"";
  }

  @Test
  void tenNewFilesAreCountedAsSentAndThePendingGaugeReturnsToZero() throws Exception {
    f.write("sub/keep.txt", "there before the start");
    f.startAgent();
    String before = f.get("/metrics").body();
    double filesBefore = Http.sample(before, "watchsync_files_sent_total", target());
    double bytesBefore = Http.sample(before, "watchsync_bytes_sent_total", target());
    for (int i = 0; i < 10; i++) {
      f.write("new/file-" + i + ".txt", "content of file " + i);
    }
    f.assertReplicated();
    f.awaitIdle();

    Http.Answer scrape = f.get("/metrics");
    String m = scrape.body();
    assertEquals(200, scrape.code());
    assertTrue(scrape.contentType().startsWith("text/plain; version=0.0.4"), scrape.contentType());
    assertTrue(
        Http.sample(m, "watchsync_files_sent_total", target()) >= filesBefore + 10,
        () -> "files sent counter, before " + filesBefore + ":\n" + m);
    assertTrue(Http.sample(m, "watchsync_bytes_sent_total", target()) >= bytesBefore + 10 * 15, m);
    assertTrue(Http.sample(m, "watchsync_batches_total", target()) >= 1, m);
    assertEquals(0, Http.sample(m, "watchsync_pending_changes", target()), m);
    assertEquals(0, Http.sample(m, "watchsync_oldest_pending_age_seconds", target()), m);
    assertEquals(1, Http.sample(m, "watchsync_target_up", target()), m);
    assertEquals(3, Http.sample(m, "watchsync_watched_directories", ""), m);
    assertEquals(1, Http.sample(m, "watchsync_full_syncs_total", target()), m);
    assertTrue(Http.sample(m, "watchsync_full_sync_seconds_total", target()) > 0, m);
    assertEquals(0, Http.sample(m, "watchsync_inotify_overflows_total", ""), m);
    assertEquals(0, Http.sample(m, "watchsync_retries_total", target()), m);
    assertTrue(m.contains("# HELP watchsync_files_sent_total "), m);
    assertTrue(m.contains("# TYPE watchsync_files_sent_total counter\n"), m);
    assertTrue(m.contains("# TYPE watchsync_pending_changes gauge\n"), m);
    assertTrue(m.contains("# TYPE watchsync_rsync_failures_total counter\n"), m);
    assertTrue(m.contains("# TYPE watchsync_callback_failures_total counter\n"), m);
  }

  @Test
  void changesWaitingForADownTargetShowAsPendingWithAGrowingLagAndFailuresByExitCode()
      throws Exception {
    f.startAgent();
    f.daemon.stop();
    for (int i = 0; i < 5; i++) {
      f.write("while-down-" + i + ".txt", "x");
    }
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> {
          String m = scrape();
          return Http.sample(m, "watchsync_pending_changes", target()) == 5
              && Http.sample(m, "watchsync_oldest_pending_age_seconds", target()) >= 1
              && Http.sample(m, "watchsync_target_up", target()) == 0
              && Http.sample(m, "watchsync_retries_total", target()) >= 1;
        },
        () -> "5 changes pending for over a second on a target marked down:\n" + scrape());
    String m = scrape();
    assertTrue(
        m.contains("watchsync_rsync_failures_total{" + target() + ",code=\"10\"}")
            || m.contains("watchsync_rsync_failures_total{" + target() + ",code=\"5\"}")
            || m.contains("watchsync_rsync_failures_total{" + target() + ",code=\"35\"}"),
        m);
    f.daemon.start();
    f.assertReplicated();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> Http.sample(scrape(), "watchsync_pending_changes", target()) == 0,
        () -> "the pending gauge to return to 0:\n" + scrape());
  }

  private String scrape() {
    try {
      return f.get("/metrics").body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

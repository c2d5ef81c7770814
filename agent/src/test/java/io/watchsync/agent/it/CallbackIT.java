package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.Agent;
import io.watchsync.agent.AgentException;
import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.CallbackReceiver;
import io.watchsync.agent.testing.Http;
import io.watchsync.agent.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Callbacks posted to a real HTTP receiver after each delivery to a real rsync daemon. */
@EnabledOnOs(OS.LINUX)
class CallbackIT extends WithReplicationFixture {
  private static final String TOKEN = "tok-3f9a1c";

  CallbackReceiver receiver;
  LogCapture log;

  @BeforeEach
  void setUp() throws Exception {
    receiver = new CallbackReceiver();
    log = LogCapture.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    log.close();
    receiver.close();
  }

  private Path tokenFile(String mode) throws Exception {
    Path file = work.resolve("hook.token");
    Files.writeString(file, TOKEN + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private void callback(Path tokenFile, int retries) {
    f.callbacks.add(
        new CallbackConfig(
            receiver.url(),
            tokenFile,
            Duration.ofSeconds(5),
            retries,
            Duration.ofMillis(50),
            Duration.ofMillis(300)));
  }

  private void awaitAnnounced(String field, String path) {
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> receiver.announced(field, path),
        () -> path + " under \"" + field + "\" in a callback; got " + receiver.accepted());
  }

  @Test
  void eachDeliveredBatchIsPostedAsJsonWithTheBearerToken() throws Exception {
    callback(tokenFile("rw-------"), 3);
    f.startAgent();
    String target = f.agent.targetStatus().get(0).name();
    f.write("docs/a.txt", "a");
    f.write("docs/b.txt", "b");
    f.assertReplicated();
    awaitAnnounced("changed", "docs/a.txt");
    awaitAnnounced("changed", "docs/b.txt");

    CallbackReceiver.Received r = receiver.accepted().get(receiver.accepted().size() - 1);
    assertEquals("application/json", r.contentType());
    assertEquals("Bearer " + TOKEN, r.authorization());
    assertEquals(target, r.body().path("target").asText());
    assertTrue(r.body().path("deleted").isArray(), r.body()::toString);
    Instant time = Instant.parse(r.body().path("time").asText());
    assertTrue(Duration.between(time, Instant.now()).abs().toSeconds() < 60, time::toString);

    Files.delete(f.source.resolve("docs/a.txt"));
    f.assertReplicated();
    awaitAnnounced("deleted", "docs/a.txt");
  }

  @Test
  void aCallbackThatFailsForAWhileIsDeliveredAfterTheReceiverRecovers() throws Exception {
    callback(tokenFile("rw-------"), 1);
    f.startAgent();
    receiver.failing(true);
    f.write("during-outage.txt", "x");
    f.assertReplicated(); // replication does not wait for the callback
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> receiver.refused() >= 4,
        () -> "the callback to be retried, refused " + receiver.refused() + " times");
    assertFalse(receiver.announced("changed", "during-outage.txt"));
    String scrape = f.get("/metrics").body();
    assertTrue(
        Http.sample(
                scrape,
                "watchsync_callback_failures_total",
                "url=\"http://127.0.0.1:" + receiver.url().getPort() + "/hook\"")
            >= 4,
        scrape);

    receiver.failing(false);
    awaitAnnounced("changed", "during-outage.txt");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> f.agent.callbacksWaiting() == 0,
        () -> "the journal to empty");
    assertTrue(log.anyContains("HTTP 500"), log::toString);
    assertTrue(
        log.messages().stream().noneMatch(l -> l.contains(TOKEN) || l.contains("k=v")),
        log::toString);
  }

  @Test
  void aCallbackParkedInTheJournalSurvivesAnAgentRestart() throws Exception {
    callback(null, 0);
    f.startAgent();
    receiver.failing(true);
    f.write("before-restart.txt", "x");
    f.assertReplicated();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> receiver.refused() >= 2 && f.agent.callbacksWaiting() >= 1,
        () -> "the callback to be parked");
    f.agent.close();

    receiver.failing(false);
    Agent again = f.startAgent();
    awaitAnnounced("changed", "before-restart.txt");
    assertEquals(null, receiver.accepted().get(0).authorization());
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> again.callbacksWaiting() == 0,
        () -> "the journal to empty");
  }

  @Test
  void aTokenFileOthersCanReadStopsTheStartWithoutShowingTheToken() throws Exception {
    Path token = tokenFile("rw-r--r--");
    callback(token, 0);
    AgentException e = assertThrows(AgentException.class, () -> f.startAgent());
    assertEquals(
        "callbacks[0].token_file: "
            + token
            + " can be read by others (rw-r--r--); chmod 600 "
            + token,
        e.getMessage());
  }
}

package io.watchsync.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.testing.Await;
import io.watchsync.agent.testing.Http;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code /health} follows each target's state and its replication lag against max_lag. */
@EnabledOnOs(OS.LINUX)
class HealthEndpointIT extends WithReplicationFixture {
  @BeforeEach
  void setUp() {
    f.maxLag = Duration.ofSeconds(1);
  }

  private Http.Answer health() {
    try {
      return f.get("/health");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void healthTurns503WhenATargetIsDownPastMaxLagAnd200WhenItIsBack() throws Exception {
    f.startAgent();
    assertEquals(200, health().code(), health().body());
    assertTrue(
        health().body().startsWith("ok: 1 target up and within max_lag 1s"), health().body());

    f.daemon.stop();
    f.write("during-outage.txt", "waits for the target");
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> health().code() == 503 && health().body().contains(" lags "),
        () -> "/health to answer 503 for the lag, it said: " + health());
    String name = f.agent.targetStatus().get(0).name();
    String reason = health().body();
    assertTrue(reason.startsWith("unhealthy: " + name + " lags "), reason);
    assertTrue(reason.contains("1 change pending, target down: rsync exit "), reason);
    assertEquals(1, reason.strip().lines().count(), reason);

    f.daemon.start();
    Await.until(
        ReplicationFixture.CONVERGE,
        () -> health().code() == 200,
        () -> "/health to answer 200 again, it said: " + health());
    f.assertReplicated();
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    f.startAgent();
    assertEquals(404, f.get("/nothing-here").code());
    assertEquals(405, f.get("/sync-now").code());
  }
}

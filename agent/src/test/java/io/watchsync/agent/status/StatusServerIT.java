package io.watchsync.agent.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchsync.agent.config.AgentConfig;
import io.watchsync.agent.replicate.FullSyncMarks;
import io.watchsync.agent.replicate.TargetState;
import io.watchsync.agent.testing.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status endpoint, served for real over HTTP, for an agent whose targets are in each of the
 * four states: {@code /status}, {@code /metrics}, {@code /health} and the table of {@code watchsync
 * status} all say the same state and why.
 */
class StatusServerIT {
  private static final Duration MAX_LAG = Duration.ofSeconds(60);
  private static final String FAILING_WHY =
      "rsync exit 5: error starting client-server protocol: Unknown module 'nope'";
  private static final String DOWN_WHY =
      "rsync exit 10: error in socket I/O: failed to connect to 127.0.0.1: Connection refused";
  private static final String HELD_WHY =
      "the full sync would delete 1200 files, more than max_delete 100";

  private final Metrics metrics = new Metrics();
  private final FixedAgent agent = new FixedAgent();
  private StatusServer server;

  /** An agent whose targets say what the test sets; it records sync-now requests. */
  private final class FixedAgent implements AgentView {
    final List<TargetStatus> targets = new ArrayList<>();
    final List<String> fullSyncs = new ArrayList<>();

    void add(String name, TargetState state, String why, Duration lag) {
      targets.add(
          new TargetStatus(
              name,
              "rsync://u@" + name + "/m",
              state,
              why,
              0,
              lag,
              metrics.target(name),
              FullSyncMarks.NONE));
    }

    @Override
    public List<TargetStatus> targets() {
      return targets;
    }

    @Override
    public int watchedDirectories() {
      return 7;
    }

    @Override
    public boolean requestFullSync(String target, String reason) {
      return requestFullSync(target, reason, false);
    }

    @Override
    public boolean requestFullSync(String target, String reason, boolean allowDeletions) {
      fullSyncs.add(target + " " + allowDeletions);
      return true;
    }
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Http.Answer get(String path) throws Exception {
    if (server == null) {
      server =
          StatusServer.start(new AgentConfig.Status(true, "127.0.0.1", 0, MAX_LAG), agent, metrics);
    }
    return Http.get(server.url() + path);
  }

  private void oneTargetInEachState() {
    agent.add("fine", TargetState.UP, null, Duration.ZERO);
    agent.add("refused", TargetState.FAILING, FAILING_WHY, Duration.ofSeconds(3));
    agent.add("gone", TargetState.DOWN, DOWN_WHY, Duration.ofSeconds(75));
    agent.add("guarded", TargetState.HELD, HELD_WHY, Duration.ZERO);
  }

  @Test
  void statusJsonGivesEachTargetsStateAndWhy() throws Exception {
    oneTargetInEachState();
    JsonNode targets = new ObjectMapper().readTree(get("/status").body()).path("targets");
    assertEquals("up", targets.get(0).path("state").asText());
    assertTrue(targets.get(0).path("state_detail").isNull(), targets::toString);
    assertEquals("failing", targets.get(1).path("state").asText());
    assertEquals(FAILING_WHY, targets.get(1).path("state_detail").asText());
    assertEquals("down", targets.get(2).path("state").asText());
    assertEquals(DOWN_WHY, targets.get(2).path("state_detail").asText());
    assertEquals("held", targets.get(3).path("state").asText());
    assertEquals(HELD_WHY, targets.get(3).path("state_detail").asText());
  }

  @Test
  void metricsSetOneStateSeriesPerTargetAndTargetUpOnlyForUp() throws Exception {
    oneTargetInEachState();
    String m = get("/metrics").body();
    Map<String, String> stateOf =
        Map.of("fine", "up", "refused", "failing", "gone", "down", "guarded", "held");
    for (Map.Entry<String, String> e : stateOf.entrySet()) {
      String target = "target=\"" + e.getKey() + "\"";
      for (TargetState s : TargetState.values()) {
        double expected = s.word().equals(e.getValue()) ? 1 : 0;
        assertEquals(
            expected,
            Http.sample(m, "watchsync_target_state", target + ",state=\"" + s.word() + "\""),
            () -> e + " " + s + ":\n" + m);
      }
      assertEquals(
          e.getValue().equals("up") ? 1 : 0, Http.sample(m, "watchsync_target_up", target), m);
    }
    assertTrue(m.contains("# TYPE watchsync_target_state gauge\n"), m);
  }

  @Test
  void healthIs503NamingEveryTargetThatIsNotUpWithItsStateAndWhy() throws Exception {
    oneTargetInEachState();
    Http.Answer health = get("/health");
    assertEquals(503, health.code());
    assertEquals(
        "unhealthy: refused is failing: "
            + FAILING_WHY
            + "; gone lags 75s behind (0 changes pending, target down: "
            + DOWN_WHY
            + "); guarded is held: "
            + HELD_WHY
            + " (max_lag 1m)\n",
        health.body());
  }

  @Test
  void healthIs200WhenEveryTargetIsUpAndWithinMaxLag() throws Exception {
    agent.add("fine", TargetState.UP, null, Duration.ofSeconds(59));
    agent.add("also-fine", TargetState.UP, null, Duration.ZERO);
    Http.Answer health = get("/health");
    assertEquals(200, health.code(), health.body());
    assertEquals("ok: 2 targets up and within max_lag 1m\n", health.body());
  }

  @Test
  void healthIs503ForATargetThatIsUpButLagsBehind() throws Exception {
    agent.add("slow", TargetState.UP, null, Duration.ofSeconds(60));
    Http.Answer health = get("/health");
    assertEquals(503, health.code());
    assertEquals(
        "unhealthy: slow lags 1m behind (0 changes pending, target up) (max_lag 1m)\n",
        health.body());
  }

  @Test
  void theStatusTableShowsTheFourStatesAndWhyATargetIsNotUp() throws Exception {
    oneTargetInEachState();
    String table = StatusTable.render(new ObjectMapper().readTree(get("/status").body()));
    List<String> lines = table.lines().toList();
    assertTrue(lines.get(1).matches("fine +up +0 +0s +0 +- +-"), table);
    assertTrue(
        lines.get(2).matches("refused +failing +0 +3s +0 +- +\\Q" + FAILING_WHY + "\\E"), table);
    assertTrue(lines.get(3).matches("gone +down +0 +75s +0 +- +\\Q" + DOWN_WHY + "\\E"), table);
    assertTrue(lines.get(4).matches("guarded +held +0 +0s +0 +- +\\Q" + HELD_WHY + "\\E"), table);
  }

  @Test
  void syncNowWithAllowDeletesAsksTheAgentForAFullSyncThatMayDelete() throws Exception {
    oneTargetInEachState();
    get("/health"); // starts the server
    StatusClient.Answer a = new StatusClient(server.url()).syncNow("guarded", true);
    assertEquals(202, a.code(), a.body());
    assertEquals(
        "full sync requested for guarded; it may delete beyond max_delete, this once\n", a.body());
    assertEquals(List.of("guarded true"), agent.fullSyncs);
  }
}

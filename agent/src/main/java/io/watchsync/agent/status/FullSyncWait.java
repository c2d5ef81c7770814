package io.watchsync.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchsync.agent.config.DurationParser;
import io.watchsync.agent.replicate.FullSyncMarks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sync-now --wait}: asks the running agent for a full sync and waits until one that started
 * after the request completed on every target asked for, so that every change made before the
 * request is on them (a planned switchover drains the primary this way, writes paused). Ends early,
 * with the reason, when a target is held (deletion budget, newer generation) or the source is lost;
 * a target that is down is waited for.
 */
public final class FullSyncWait {
  private static final Duration POLL = Duration.ofMillis(200);

  private final StatusClient client;

  public FullSyncWait(StatusClient client) {
    this.client = client;
  }

  /**
   * Requests the full sync ({@code target} null: every target) and waits up to {@code timeout}.
   *
   * @return the agent's answer to the request, then one line per target once its full sync is done
   * @throws StatusException when the agent refuses, a target is held or the source lost, or on
   *     timeout; the message names the target and why
   */
  public List<String> run(String target, boolean allowDeletes, Duration timeout)
      throws StatusException, InterruptedException {
    long begin = System.nanoTime();
    // Read before the request: a full sync numbered above these started after the command did.
    Map<String, Long> marks = new LinkedHashMap<>();
    for (JsonNode t : client.status().path("targets")) {
      String name = t.path("name").asText();
      if (target == null || target.equals(name)) {
        marks.put(name, t.path("full_syncs_started").asLong());
      }
    }
    StatusClient.Answer answer = client.syncNow(target, allowDeletes);
    if (answer.code() != 202) {
      throw new StatusException(answer.body().strip());
    }
    List<String> lines = new ArrayList<>();
    lines.add(answer.body().strip());
    long deadline = begin + timeout.toNanos();
    while (true) {
      JsonNode status = client.status();
      String lost = status.path("source_lost").textValue();
      if (lost != null) {
        throw new StatusException(
            "the source is lost (" + lost + "): nothing is sent until it is back");
      }
      List<String> waiting = new ArrayList<>();
      for (Map.Entry<String, Long> mark : List.copyOf(marks.entrySet())) {
        JsonNode t = find(status, mark.getKey());
        FullSyncMarks syncs =
            new FullSyncMarks(
                t.path("full_syncs_started").asLong(),
                t.path("last_full_sync_ended").asLong(),
                t.path("last_full_sync_done").asLong());
        String state = t.path("state").asText();
        String detail = t.path("state_detail").textValue();
        if (syncs.doneAfter(mark.getValue())) {
          lines.add(mark.getKey() + ": full sync done, " + seconds(begin) + " after the request");
          marks.remove(mark.getKey());
        } else if ("held".equals(state) && syncs.failedAfter(mark.getValue())) {
          throw new StatusException(mark.getKey() + ": full sync held: " + detail);
        } else {
          waiting.add(mark.getKey() + " is " + state + (detail == null ? "" : " (" + detail + ")"));
        }
      }
      if (marks.isEmpty()) {
        return lines;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StatusException(
            "full sync not done within "
                + DurationParser.format(timeout)
                + ": "
                + String.join("; ", waiting));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static JsonNode find(JsonNode status, String name) throws StatusException {
    for (JsonNode t : status.path("targets")) {
      if (name.equals(t.path("name").asText())) {
        return t;
      }
    }
    throw new StatusException("the agent no longer has a target named \"" + name + "\"");
  }

  private static String seconds(long since) {
    return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
  }
}

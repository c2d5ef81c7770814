package io.watchsync.agent.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Work;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a callback receives after a delivery: {@code {"target": NAME, "changed": [paths],
 * "deleted": [paths], "time": ISO-8601}}. Paths are relative to the source, as rsync reported them
 * (directories end in {@code /}); a very large run reports its first 10,000 names.
 */
final class CallbackEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CallbackEvent() {}

  /** The body for {@code delivery}, or null when the run changed nothing on the target. */
  static byte[] of(String target, Work work, Delivery delivery, Instant time) {
    List<String> changed = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    if (work instanceof Work.Renames r) {
      for (Work.Rename move : r.moves()) {
        deleted.add(move.from() + "/");
        changed.add(move.to() + "/");
      }
    } else {
      for (String item : delivery.itemized()) {
        sort(item, changed, deleted);
      }
    }
    if (changed.isEmpty() && deleted.isEmpty()) {
      return null;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("target", target);
    body.put("changed", changed);
    body.put("deleted", deleted);
    body.put("time", time.toString());
    try {
      return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }

  /**
   * Sorts one itemized line ({@code ">f+++++++++ a/b.txt"}, {@code "*deleting a/c.txt"}): sent,
   * created and linked items and attribute changes of non-directories are changes; directories
   * whose only change is their time are left out, as they follow from their entries.
   */
  static void sort(String item, List<String> changed, List<String> deleted) {
    int space = item.indexOf(' ');
    if (space < 2 || space == item.length() - 1) {
      return;
    }
    String change = item.substring(0, space);
    String name = item.substring(space + 1);
    if (change.equals("*deleting")) {
      deleted.add(name);
      return;
    }
    char kind = change.charAt(0);
    char type = change.charAt(1);
    if (kind == '<' || kind == '>' || kind == 'c' || kind == 'h') {
      changed.add(name);
    } else if (kind == '.' && type != 'd' && change.substring(2).chars().anyMatch(c -> c != '.')) {
      changed.add(name);
    }
  }
}

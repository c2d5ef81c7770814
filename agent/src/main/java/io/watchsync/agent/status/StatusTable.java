package io.watchsync.agent.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.watchsync.agent.config.DurationParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out the agent's {@code /status} answer as a table for people: one line per target with its
 * state ({@code up}, {@code failing}, {@code down}, {@code held}) and, when it is not up, why.
 */
public final class StatusTable {
  private static final int MAX_ERROR = 100;
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private static final String[] HEADINGS = {
    "TARGET", "STATE", "PENDING", "LAG", "FILES SENT", "LAST SUCCESS", "LAST ERROR"
  };

  private StatusTable() {}

  public static String render(JsonNode status) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADINGS);
    for (JsonNode t : status.path("targets")) {
      rows.add(
          new String[] {
            t.path("name").asText(),
            t.path("state").asText(),
            Long.toString(t.path("pending").asLong()),
            lag(t.path("lag_seconds").asDouble()),
            Long.toString(t.path("files_sent").asLong()),
            when(t.path("last_success")),
            problem(t)
          });
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    out.append(status.path("watched_directories").asLong()).append(" directories watched\n");
    JsonNode lost = status.path("source_lost");
    if (lost.isTextual()) {
      out.append("SOURCE LOST: ")
          .append(lost.asText())
          .append("; every target is held until it is back\n");
    }
    return out.toString();
  }

  private static String lag(double seconds) {
    if (seconds < 1) {
      return "0s";
    }
    return DurationParser.format(Duration.ofSeconds((long) seconds));
  }

  private static String when(JsonNode iso) {
    if (iso.isNull() || iso.isMissingNode()) {
      return "-";
    }
    try {
      return WHEN.format(Instant.parse(iso.asText()));
    } catch (DateTimeParseException e) {
      return iso.asText();
    }
  }

  /**
   * Why a target that is not up is not: its state's detail (a hold's reason, the failure that keeps
   * it failing or down); for a target that is up, the last error it had, if any.
   */
  private static String problem(JsonNode t) {
    JsonNode detail = t.path("state_detail");
    JsonNode lastError = t.path("last_error");
    if (!t.path("state").asText().equals("up") && !detail.isNull() && !detail.isMissingNode()) {
      boolean sameAsLastError = detail.asText().equals(lastError.asText());
      return error(detail, sameAsLastError ? t.path("last_error_time") : null);
    }
    return error(lastError, t.path("last_error_time"));
  }

  private static String error(JsonNode message, JsonNode at) {
    if (message.isNull() || message.isMissingNode()) {
      return "-";
    }
    String text = message.asText().replaceAll("\\s+", " ");
    if (text.length() > MAX_ERROR) {
      text = text.substring(0, MAX_ERROR - 1) + "…";
    }
    return at == null ? text : when(at) + " " + text;
  }
}

package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationParserTest {
  @Test
  void unitsAreMillisecondsSecondsMinutesHoursAndDays() {
    assertEquals(Duration.ofMillis(250), DurationParser.parse("250ms"));
    assertEquals(Duration.ofSeconds(2), DurationParser.parse("2s"));
    assertEquals(Duration.ofSeconds(2), DurationParser.parse("2"));
    assertEquals(Duration.ofMinutes(5), DurationParser.parse("5m"));
    assertEquals(Duration.ofHours(1), DurationParser.parse("1h"));
    assertEquals(Duration.ofDays(1), DurationParser.parse("1d"));
    assertEquals(Duration.ZERO, DurationParser.parse("0"));
  }

  @Test
  void anythingElseIsRejectedWithTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("-1s"));
    assertEquals("not a duration: \"-1s\" (use e.g. 250ms, 10s, 5m, 1h, 1d)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("1w"));
    assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(""));
  }

  @Test
  void formattingPicksTheLargestExactUnit() {
    assertEquals("1500ms", DurationParser.format(Duration.ofMillis(1500)));
    assertEquals("2h", DurationParser.format(Duration.ofHours(2)));
    assertEquals("0s", DurationParser.format(Duration.ZERO));
  }
}

package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationParserTest {

  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({
    "250ms, 250",
    "2s, 2000",
    "5m, 300000",
    "1h, 3600000",
    "1d, 86400000",
    "0, 0",
    "0s, 0",
    "60, 60000",
    "1h30m, 5400000",
    "' 10S ', 10000",
    "1m500ms, 60500"
  })
  void readsTheUsualForms(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationParser.parse(text));
  }

  @ParameterizedTest(name = "\"{0}\" is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | empty duration; use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)",
        "-5s | negative duration \"-5s\"",
        "5 s | not a duration: \"5 s\"; use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)",
        "1.5s | not a duration: \"1.5s\"; use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)",
        "5w | not a duration: \"5w\"; use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)",
        "soon | not a duration: \"soon\"; use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)",
        "99999999999999999999 | duration too long: \"99999999999999999999\""
      })
  void refusesAnythingElseWithAClearReason(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "250, 250ms", "1500, 1500ms", "2000, 2s", "300000, 5m", "86400000, 1d"})
  void formatsToTheShortestFormItReadsBack(long millis, String text) {
    assertEquals(text, DurationParser.format(Duration.ofMillis(millis)));
    assertEquals(Duration.ofMillis(millis), DurationParser.parse(text));
  }
}

package io.watchsync.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as sysadmins write them: {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h},
 * {@code 1d}, combinations such as {@code 1h30m}, a plain number of seconds ({@code 60}) and {@code
 * 0}.
 */
public final class DurationParser {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final String FORMS = "use a number with a unit: 250ms, 2s, 5m, 1h, 1d (or 0)";

  private DurationParser() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} with a one-line reason. */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration; " + FORMS);
    }
    String s = text.strip().toLowerCase(Locale.ROOT);
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("negative duration \"" + text.strip() + "\"");
    }
    try {
      if (s.chars().allMatch(Character::isDigit)) {
        return Duration.ofSeconds(Long.parseLong(s));
      }
      Matcher m = PART.matcher(s);
      Duration total = Duration.ZERO;
      int at = 0;
      while (at < s.length()) {
        if (!m.find(at) || m.start() != at) {
          throw new IllegalArgumentException("not a duration: \"" + text.strip() + "\"; " + FORMS);
        }
        total = total.plus(unit(Long.parseLong(m.group(1)), m.group(2)));
        at = m.end();
      }
      return total;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("duration too long: \"" + text.strip() + "\"");
    }
  }

  private static Duration unit(long amount, String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return Duration.ofDays(amount);
    }
  }

  /**
   * The shortest form {@link #parse} reads back to the same value, e.g. {@code 90s}, {@code 1h}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    long ms = d.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }
}

package io.watchsync.agent.inotifywait;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * C's {@code strftime(3)} in the C locale, for {@code --timefmt}: the conversions of glibc with the
 * {@code -}, {@code _}, {@code 0} and {@code ^} flags and the {@code E}/{@code O} modifiers
 * (ignored, as in the C locale). An unknown conversion is copied as it is, as glibc does.
 */
public final class Strftime {
  private static final DateTimeFormatter ZONE_ABBREVIATION =
      DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH);

  private final String pattern;

  public Strftime(String pattern) {
    this.pattern = pattern;
  }

  public String format(ZonedDateTime t) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c != '%' || i + 1 >= pattern.length()) {
        out.append(c);
        i++;
        continue;
      }
      int start = i;
      i++;
      char flag = 0;
      if ("-_0^".indexOf(pattern.charAt(i)) >= 0 && i + 1 < pattern.length()) {
        flag = pattern.charAt(i);
        i++;
      }
      if ((pattern.charAt(i) == 'E' || pattern.charAt(i) == 'O') && i + 1 < pattern.length()) {
        i++;
      }
      String converted = convert(pattern.charAt(i), t, flag);
      if (converted == null) {
        out.append(pattern, start, i + 1);
      } else {
        out.append(flag == '^' ? converted.toUpperCase(Locale.ROOT) : converted);
      }
      i++;
    }
    return out.toString();
  }

  /** One conversion, or null when {@code c} is not one. */
  private static String convert(char c, ZonedDateTime t, char flag) {
    switch (c) {
      case 'a':
        return t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
      case 'A':
        return t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case 'b':
      case 'h':
        return t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
      case 'B':
        return t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      case 'c':
        return new Strftime("%a %b %e %H:%M:%S %Y").format(t);
      case 'C':
        return number(Math.floorDiv(t.getYear(), 100), 2, '0', flag);
      case 'd':
        return number(t.getDayOfMonth(), 2, '0', flag);
      case 'D':
      case 'x':
        return new Strftime("%m/%d/%y").format(t);
      case 'e':
        return number(t.getDayOfMonth(), 2, ' ', flag);
      case 'F':
        return new Strftime("%Y-%m-%d").format(t);
      case 'g':
        return number(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0', flag);
      case 'G':
        return number(t.get(IsoFields.WEEK_BASED_YEAR), 1, '0', flag);
      case 'H':
        return number(t.getHour(), 2, '0', flag);
      case 'I':
        return number(hour12(t), 2, '0', flag);
      case 'j':
        return number(t.getDayOfYear(), 3, '0', flag);
      case 'k':
        return number(t.getHour(), 2, ' ', flag);
      case 'l':
        return number(hour12(t), 2, ' ', flag);
      case 'm':
        return number(t.getMonthValue(), 2, '0', flag);
      case 'M':
        return number(t.getMinute(), 2, '0', flag);
      case 'n':
        return "\n";
      case 'p':
        return t.getHour() < 12 ? "AM" : "PM";
      case 'P':
        return t.getHour() < 12 ? "am" : "pm";
      case 'r':
        return new Strftime("%I:%M:%S %p").format(t);
      case 'R':
        return new Strftime("%H:%M").format(t);
      case 's':
        return Long.toString(t.toEpochSecond());
      case 'S':
        return number(t.getSecond(), 2, '0', flag);
      case 't':
        return "\t";
      case 'T':
      case 'X':
        return new Strftime("%H:%M:%S").format(t);
      case 'u':
        return Integer.toString(t.getDayOfWeek().getValue());
      case 'U':
        return number((t.getDayOfYear() - 1 + 7 - sundayBased(t)) / 7, 2, '0', flag);
      case 'V':
        return number(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', flag);
      case 'w':
        return Integer.toString(sundayBased(t));
      case 'W':
        return number((t.getDayOfYear() - 1 + 7 - (sundayBased(t) + 6) % 7) / 7, 2, '0', flag);
      case 'y':
        return number(Math.floorMod(t.getYear(), 100), 2, '0', flag);
      case 'Y':
        return number(t.getYear(), 1, '0', flag);
      case 'z':
        int seconds = t.getOffset().getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        return (seconds < 0 ? "-" : "+") + String.format("%02d%02d", minutes / 60, minutes % 60);
      case 'Z':
        return ZONE_ABBREVIATION.format(t);
      case '%':
        return "%";
      default:
        return null;
    }
  }

  private static int hour12(ZonedDateTime t) {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  /** Day of the week with Sunday 0, as C's {@code tm_wday}. */
  private static int sundayBased(ZonedDateTime t) {
    return t.getDayOfWeek().getValue() % 7;
  }

  /** {@code value} padded to {@code width} with {@code pad}, unless a flag says otherwise. */
  private static String number(int value, int width, char pad, char flag) {
    String digits = Integer.toString(value);
    if (flag == '-') {
      return digits;
    }
    char fill = flag == '_' ? ' ' : flag == '0' ? '0' : pad;
    StringBuilder out = new StringBuilder();
    for (int i = digits.length(); i < width; i++) {
      out.append(fill);
    }
    return out.append(digits).toString();
  }
}

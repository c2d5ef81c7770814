package io.watchsync.agent.inotifywait;

import java.time.ZonedDateTime;
import java.util.function.Supplier;

/**
 * Turns an event into the text inotifywait prints for it: the default {@code %w %,e %f} line, a
 * {@code --format} line or a {@code --csv} line.
 *
 * <p>{@code --format} conversions: {@code %w} the watched file (a directory ends with '/'), {@code
 * %f} the name within it, {@code %e} the events joined by ',', {@code %Xe} joined by the character
 * X, {@code %T} the time in {@code --timefmt}, {@code %n} a newline, {@code %0} a NUL and {@code
 * %%} a '%'. Anything else after '%' is printed as it is.
 */
public final class EventFormat {
  private static final String DEFAULT = "%w %,e %f";

  private final String format;
  private final boolean csv;
  private final boolean newline;
  private final Strftime timefmt;
  private final Supplier<ZonedDateTime> clock;

  private EventFormat(
      String format,
      boolean csv,
      boolean newline,
      Strftime timefmt,
      Supplier<ZonedDateTime> clock) {
    this.format = format;
    this.csv = csv;
    this.newline = newline;
    this.timefmt = timefmt;
    this.clock = clock;
  }

  /** inotifywait's default line: {@code /backup/dir/ CREATE,ISDIR sub}. */
  public static EventFormat standard() {
    return new EventFormat(DEFAULT, false, true, null, ZonedDateTime::now);
  }

  /** {@code --format}; {@code timefmt} may be null when the format has no {@code %T}. */
  public static EventFormat custom(
      String format, String timefmt, boolean newline, Supplier<ZonedDateTime> clock) {
    return new EventFormat(
        format, false, newline, timefmt == null ? null : new Strftime(timefmt), clock);
  }

  /** {@code --csv}: watched file, events and name, quoted where needed. */
  public static EventFormat csv() {
    return new EventFormat(null, true, true, null, ZonedDateTime::now);
  }

  /**
   * The text for one event, with its line end.
   *
   * @param watched the watched file's name as inotifywait keeps it, or null when unknown
   * @param name the name within the watched directory, or null
   */
  public String format(String watched, String name, int mask) {
    String line = csv ? csvLine(watched, name, mask) : expand(watched, name, mask);
    return newline ? line + "\n" : line;
  }

  private String expand(String watched, String name, int mask) {
    StringBuilder out = new StringBuilder();
    int n = format.length();
    for (int i = 0; i < n; i++) {
      char c = format.charAt(i);
      if (c != '%' || i == n - 1) {
        out.append(c);
        continue;
      }
      char next = format.charAt(i + 1);
      i++;
      switch (next) {
        case '%':
          out.append('%');
          break;
        case 'w':
          out.append(watched == null ? "" : watched);
          break;
        case 'f':
          out.append(name == null ? "" : name);
          break;
        case 'e':
          out.append(EventNames.describe(mask, ','));
          break;
        case 'T':
          out.append(timefmt == null ? "" : timefmt.format(clock.get()));
          break;
        case 'n':
          out.append('\n');
          break;
        case '0':
          out.append('\0');
          break;
        default:
          if (i + 1 < n && format.charAt(i + 1) == 'e') {
            out.append(EventNames.describe(mask, next));
            i++;
          } else {
            out.append('%').append(next);
          }
      }
    }
    return out.toString();
  }

  private static String csvLine(String watched, String name, int mask) {
    StringBuilder out = new StringBuilder();
    if (watched != null && !watched.isEmpty()) {
      out.append(csvField(watched)).append(',');
    }
    out.append(csvField(EventNames.describe(mask, ','))).append(',');
    if (name != null && !name.isEmpty()) {
      out.append(csvField(name));
    }
    return out.toString();
  }

  /** Quoted, with quotes doubled, when it holds '"', ',' or a newline or starts or ends blank. */
  static String csvField(String s) {
    boolean plain =
        s.indexOf('"') < 0
            && s.indexOf(',') < 0
            && s.indexOf('\n') < 0
            && s.charAt(0) != ' '
            && s.charAt(s.length() - 1) != ' ';
    return plain ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }
}

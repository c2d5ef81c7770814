package io.watchsync.agent.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per event with its level. Under systemd (stderr connected to the journal) the line
 * starts with the syslog priority ({@code <4>}) so journald records the level and adds its own time
 * stamp; elsewhere it starts with the local time and the level name.
 */
public final class OneLineFormatter extends Formatter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

  private final boolean journald;

  public OneLineFormatter(boolean journald) {
    this.journald = journald;
  }

  @Override
  public String format(LogRecord r) {
    StringBuilder line = new StringBuilder(128);
    if (journald) {
      line.append('<').append(syslogPriority(r.getLevel())).append('>');
    } else {
      line.append(TIME.format(Instant.ofEpochMilli(r.getMillis())))
          .append(' ')
          .append(levelName(r.getLevel()))
          .append(' ');
    }
    line.append(oneLine(formatMessage(r)));
    if (r.getThrown() != null) {
      line.append(": ").append(oneLine(String.valueOf(r.getThrown())));
      if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
        StringWriter trace = new StringWriter();
        r.getThrown().printStackTrace(new PrintWriter(trace));
        // Stack traces only at debug level would hide bugs; keep them, one frame per line.
        line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
      }
    }
    return line.append(System.lineSeparator()).toString();
  }

  private static String oneLine(String s) {
    return s.replace('\n', ' ').replace('\r', ' ');
  }

  static int syslogPriority(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return 3;
    }
    if (v >= Level.WARNING.intValue()) {
      return 4;
    }
    if (v >= Level.INFO.intValue()) {
      return 6;
    }
    return 7;
  }

  static String levelName(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN ";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO ";
    }
    return "DEBUG";
  }
}

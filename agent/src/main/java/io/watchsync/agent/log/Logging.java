package io.watchsync.agent.log;

import java.io.OutputStream;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/** Sends the agent's log to stderr, one line per event. */
public final class Logging {
  private Logging() {}

  /** Accepted level names, as in the config file and {@code --log-level}. */
  public static Level parseLevel(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "error":
        return Level.SEVERE;
      case "warn":
      case "warning":
        return Level.WARNING;
      case "info":
        return Level.INFO;
      case "debug":
        return Level.FINE;
      default:
        throw new IllegalArgumentException(
            "unknown log level '" + name + "' (use error, warn, info or debug)");
    }
  }

  /** Routes the {@code watchsync} logger to {@code err} at {@code level}. */
  public static void configure(Level level, OutputStream err) {
    LogManager.getLogManager().reset();
    boolean journald = System.getenv("JOURNAL_STREAM") != null;
    Handler handler =
        new StreamHandler(err, new OneLineFormatter(journald)) {
          @Override
          public synchronized void publish(java.util.logging.LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.addHandler(handler);
    root.setLevel(Level.WARNING);
    Logger watchsync = Logger.getLogger("watchsync");
    watchsync.setLevel(level);
  }
}

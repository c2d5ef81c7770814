package io.watchsync.agent.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the messages logged to the agent's logger ("watchsync") while it is open. */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> messages = new CopyOnWriteArrayList<>();

  private LogCapture() {}

  /** Starts collecting. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    Logger.getLogger("watchsync").addHandler(capture);
    return capture;
  }

  /** The messages so far, oldest first. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** Whether any message so far contains every one of {@code parts}. */
  public boolean anyContains(String... parts) {
    return messages.stream().anyMatch(m -> containsAll(m, parts));
  }

  private static boolean containsAll(String message, String... parts) {
    for (String part : parts) {
      if (!message.contains(part)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void publish(LogRecord r) {
    messages.add(r.getMessage());
  }

  @Override
  public void flush() {}

  /** Stops collecting. */
  @Override
  public void close() {
    Logger.getLogger("watchsync").removeHandler(this);
  }

  @Override
  public String toString() {
    return messages.toString();
  }
}

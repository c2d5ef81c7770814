package io.watchsync.agent.inotify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's inotify limits, from {@code /proc/sys/fs/inotify}. */
public record InotifyLimits(
    long maxUserWatches, String watchSetting, long maxQueuedEvents, long maxUserInstances) {
  private static final Path DIR = Path.of("/proc/sys/fs/inotify");
  private static final Path NAMESPACE_WATCHES = Path.of("/proc/sys/user/max_inotify_watches");

  /**
   * Reads the limits. In a user namespace the lower of {@code fs.inotify.max_user_watches} and the
   * namespace's {@code user.max_inotify_watches} applies.
   */
  public static InotifyLimits read() throws IOException {
    long watches = value(DIR.resolve("max_user_watches"));
    String setting = "fs.inotify.max_user_watches";
    if (Files.exists(NAMESPACE_WATCHES) && value(NAMESPACE_WATCHES) < watches) {
      watches = value(NAMESPACE_WATCHES);
      setting = "user.max_inotify_watches (this user namespace's limit)";
    }
    return new InotifyLimits(
        watches,
        setting,
        value(DIR.resolve("max_queued_events")),
        value(DIR.resolve("max_user_instances")));
  }

  private static long value(Path file) throws IOException {
    // Files.readString trusts the size procfs reports, which can cut the value short.
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not a number: " + text, e);
    }
  }
}

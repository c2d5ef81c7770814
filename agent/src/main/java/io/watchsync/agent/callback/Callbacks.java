package io.watchsync.agent.callback;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.fs.NameHash;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.StateLock;
import io.watchsync.agent.replicate.Work;
import io.watchsync.agent.status.Metrics;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells every configured URL about each delivery that changed something on a target. Each URL has
 * its own sender thread and journal (under the state directory, locked like a target's), so a slow
 * or failing URL delays neither replication nor the other URLs.
 */
public final class Callbacks implements ReplicationListener, AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync");
  private static final Set<PosixFilePermission> GROUP_OR_OTHER =
      EnumSet.complementOf(
          EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

  private record Open(CallbackSender sender, StateLock lock) {}

  private final List<Open> open = new ArrayList<>();

  private Callbacks() {}

  /**
   * Opens a journal and starts a sender for each callback.
   *
   * @param stateDir the agent's state directory; each URL gets a subdirectory there
   * @param source the replicated tree, part of each subdirectory's name so two configurations never
   *     share one
   * @throws IOException with a one-line message (a token file that others can read, a state
   *     directory locked by another agent, …)
   */
  public static Callbacks start(
      List<CallbackConfig> configs, Path stateDir, Path source, Metrics metrics)
      throws IOException {
    Callbacks callbacks = new Callbacks();
    try {
      for (int i = 0; i < configs.size(); i++) {
        CallbackConfig c = configs.get(i);
        String token = c.tokenFile() == null ? null : readToken(c.tokenFile(), i);
        Path dir = stateDir.resolve(directoryName(c, source));
        StateLock lock;
        try {
          lock = StateLock.acquire(dir, "callbacks to " + c.redacted());
        } catch (IllegalStateException e) {
          throw new IOException(e.getMessage(), e);
        }
        CallbackJournal journal;
        try {
          Files.writeString(dir.resolve("about"), "callback=" + c.redacted() + "\n", UTF_8);
          journal = CallbackJournal.open(dir.resolve("journal"));
        } catch (IOException | RuntimeException e) {
          lock.close();
          throw new IOException(
              "callback " + c.redacted() + ": state directory " + dir + ": " + e.getMessage(), e);
        }
        CallbackSender sender = new CallbackSender(c, token, journal, metrics);
        callbacks.open.add(new Open(sender, lock));
        sender.start();
      }
      return callbacks;
    } catch (IOException | RuntimeException e) {
      callbacks.close();
      throw e;
    }
  }

  /** {@code callback-HOST-HASH}: the hash covers the source and the whole URL. */
  static String directoryName(CallbackConfig c, Path source) {
    String key = source.toAbsolutePath().normalize() + "\0" + c.url();
    String host = c.url().getHost().replaceAll("[^A-Za-z0-9._-]", "_");
    return "callback-" + host + "-" + NameHash.of(key, 16);
  }

  /** Reads a bearer token: the first line of a file only its owner can read. */
  public static String readToken(Path file, int index) throws IOException {
    String key = "callbacks[" + index + "].token_file";
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
        throw new IOException(
            key
                + ": "
                + file
                + " can be read by others ("
                + PosixFilePermissions.toString(perms)
                + "); chmod 600 "
                + file);
      }
      String text = Files.readString(file, UTF_8);
      String token = text.lines().findFirst().orElse("").strip();
      if (token.isEmpty()) {
        throw new IOException(key + ": " + file + " is empty; put the token on its first line");
      }
      return token;
    } catch (NoSuchFileException e) {
      throw new IOException(key + ": " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IOException(key + ": " + file + ": permission denied", e);
    }
  }

  @Override
  public void delivered(String target, Work work, Delivery delivery, Duration took) {
    if (!delivery.ok() || open.isEmpty()) {
      return;
    }
    try {
      byte[] body = CallbackEvent.of(target, work, delivery, Instant.now());
      if (body == null) {
        return;
      }
      for (Open o : open) {
        o.sender().enqueue(body);
      }
    } catch (RuntimeException e) {
      // A full disk must not stop replication: the callback is lost, and said so.
      LOG.log(Level.SEVERE, "callbacks: cannot queue a callback: " + e.getMessage(), e);
    }
  }

  /** Flushes every journal to disk, bounding what a power cut can lose. */
  public void force() {
    for (Open o : open) {
      o.sender().force();
    }
  }

  /** Callbacks not yet accepted, over all URLs. */
  public int waiting() {
    int n = 0;
    for (Open o : open) {
      n += o.sender().waiting();
    }
    return n;
  }

  /** Stops the senders; callbacks not yet accepted stay in their journals for the next start. */
  @Override
  public void close() {
    for (Open o : open) {
      try {
        o.sender().close();
        o.lock().close();
      } catch (IOException e) {
        LOG.severe("callbacks: cannot close a journal: " + e.getMessage());
      }
    }
    open.clear();
  }
}

package io.watchsync.agent.callback;

import io.watchsync.agent.config.CallbackConfig;
import io.watchsync.agent.status.Metrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts one URL's callbacks, oldest first, on a thread of its own. Events go to the {@link
 * CallbackJournal} first, so replication only ever waits for a small file append. A failed post is
 * repeated {@code retries} times with a doubling delay; then the callback stays parked in the
 * journal and is tried again later (the delay still doubling, up to {@code max_delay}), across
 * restarts, until the URL accepts it. Any 2xx answer is acceptance.
 */
final class CallbackSender implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync");

  private final CallbackConfig config;
  private final String token;
  private final String name;
  private final CallbackJournal journal;
  private final Metrics metrics;
  private final HttpClient http;
  private final Object wake = new Object();
  private final Thread thread;
  private volatile boolean closed;
  private long droppedSinceLog;

  CallbackSender(CallbackConfig config, String token, CallbackJournal journal, Metrics metrics) {
    this.config = config;
    this.token = token;
    this.name = config.redacted();
    this.journal = journal;
    this.metrics = metrics;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.thread = new Thread(this::sendLoop, "watchsync-callback");
    thread.setDaemon(true);
  }

  void start() {
    int waiting = journal.size();
    if (waiting > 0) {
      LOG.info("callback " + name + ": " + waiting + " callbacks from the journal to send");
    }
    thread.start();
  }

  /** Queues {@code body}; never blocks on the network. */
  void enqueue(byte[] body) {
    int dropped = journal.add(body);
    if (dropped > 0) {
      droppedSinceLog += dropped;
      LOG.warning(
          "callback "
              + name
              + ": more than "
              + (CallbackJournal.MAX_WAITING_BYTES >> 20)
              + " MiB of callbacks waiting; "
              + droppedSinceLog
              + " oldest dropped so far");
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Flushes the journal to disk. */
  void force() {
    journal.force();
  }

  int waiting() {
    return journal.size();
  }

  private void sendLoop() {
    Duration parked = config.retryDelay();
    try {
      while (!closed) {
        CallbackJournal.Waiting head = journal.head();
        if (head == null) {
          synchronized (wake) {
            if (journal.head() == null && !closed) {
              wake.wait();
            }
          }
          continue;
        }
        byte[] body;
        try {
          body = journal.body(head);
        } catch (IOException e) {
          LOG.severe("callback " + name + ": " + e.getMessage() + "; skipped");
          journal.done(head);
          continue;
        }
        if (postWithRetries(body)) {
          journal.done(head);
          parked = config.retryDelay();
        } else {
          parked = min(parked.multipliedBy(2), config.maxDelay());
          Duration wait = jitter(parked);
          LOG.warning(
              "callback "
                  + name
                  + ": still failing after "
                  + (config.retries() + 1)
                  + " attempts; "
                  + journal.size()
                  + " kept in the journal, next try in "
                  + seconds(wait));
          pause(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "callback " + name + ": sender stopped: " + e.getMessage(), e);
    }
  }

  /** One callback: the first attempt and up to {@code retries} more. */
  private boolean postWithRetries(byte[] body) throws InterruptedException {
    Duration delay = config.retryDelay();
    for (int attempt = 1; attempt <= config.retries() + 1 && !closed; attempt++) {
      String failure = post(body);
      if (failure == null) {
        metrics.callbackDelivered(name);
        return true;
      }
      metrics.callbackFailed(name);
      if (attempt <= config.retries()) {
        Duration wait = jitter(delay);
        LOG.warning(
            "callback "
                + name
                + ": "
                + failure
                + " (attempt "
                + attempt
                + " of "
                + (config.retries() + 1)
                + "); retrying in "
                + seconds(wait));
        pause(wait);
        delay = min(delay.multipliedBy(2), config.maxDelay());
      } else {
        LOG.warning("callback " + name + ": " + failure + " (attempt " + attempt + ")");
      }
    }
    return false;
  }

  /** Posts once; returns null on acceptance, else why it failed (one line, no secret). */
  private String post(byte[] body) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
      int code = r.statusCode();
      return code >= 200 && code < 300 ? null : "HTTP " + code;
    } catch (HttpTimeoutException e) {
      return "no answer within " + seconds(config.timeout());
    } catch (IOException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return "cannot connect: " + why.replaceAll("\\s+", " ");
    }
  }

  private void pause(Duration d) throws InterruptedException {
    long until = System.nanoTime() + d.toNanos();
    synchronized (wake) {
      long left;
      while (!closed && (left = until - System.nanoTime()) > 0) {
        wake.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Half fixed, half random, like the rsync retries. */
  private static Duration jitter(Duration d) {
    long half = d.toNanos() / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? ms + " ms" : (ms / 1000) + " s";
  }

  /** Stops sending; what is not yet accepted stays in the journal for the next start. */
  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    journal.close();
  }
}

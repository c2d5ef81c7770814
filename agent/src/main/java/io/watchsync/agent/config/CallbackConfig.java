package io.watchsync.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One URL told about every batch delivered to a target, with a JSON POST.
 *
 * @param url an {@code http://} or {@code https://} URL
 * @param tokenFile a file holding a bearer token (mode 0600), or {@code null}
 * @param timeout how long one attempt may take, connecting included
 * @param retries how many times a failed attempt is repeated at once (with backoff) before the
 *     callback is parked in the journal and retried later
 * @param retryDelay the first backoff delay; it doubles after each failure
 * @param maxDelay the longest delay between attempts, parked callbacks included
 */
public record CallbackConfig(
    URI url,
    Path tokenFile,
    Duration timeout,
    int retries,
    Duration retryDelay,
    Duration maxDelay) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_RETRIES = 3;
  public static final int MAX_RETRIES = 100;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(5);

  public CallbackConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
  }

  /** The URL without user info, query or fragment: safe for logs and metric labels. */
  public String redacted() {
    String port = url.getPort() < 0 ? "" : ":" + url.getPort();
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getScheme() + "://" + url.getHost() + port + path;
  }
}

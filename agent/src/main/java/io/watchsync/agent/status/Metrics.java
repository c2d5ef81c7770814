package io.watchsync.agent.status;

import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.ReplicationListener;
import io.watchsync.agent.replicate.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counters of everything the agent did since it started, fed by every delivery attempt. Counters
 * only go up; gauges (pending changes, lag) are read from the queues when scraped.
 */
public final class Metrics implements ReplicationListener {
  private static final Pattern RSYNC_EXIT = Pattern.compile("rsync exit (\\d+)");

  /** One target's counters. */
  public static final class TargetCounters {
    final LongAdder files = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder fullSyncs = new LongAdder();
    final AtomicLong fullSyncNanos = new AtomicLong();
    final AtomicLong lastFullSyncNanos = new AtomicLong();
    final Map<String, LongAdder> failuresByExit = new ConcurrentHashMap<>();
    final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();
    final AtomicReference<String> lastError = new AtomicReference<>();

    public long files() {
      return files.sum();
    }

    public long bytes() {
      return bytes.sum();
    }

    public long batches() {
      return batches.sum();
    }

    public long retries() {
      return retries.sum();
    }

    public long fullSyncs() {
      return fullSyncs.sum();
    }

    public double fullSyncSeconds() {
      return fullSyncNanos.get() / 1e9;
    }

    public double lastFullSyncSeconds() {
      return lastFullSyncNanos.get() / 1e9;
    }

    /** Failed runs by rsync exit code ({@code other} when rsync did not say one). */
    public SortedMap<String, Long> failuresByExit() {
      SortedMap<String, Long> out = new TreeMap<>();
      failuresByExit.forEach((code, n) -> out.put(code, n.sum()));
      return out;
    }

    public Instant lastSuccess() {
      return lastSuccess.get();
    }

    public Instant lastErrorAt() {
      return lastErrorAt.get();
    }

    public String lastError() {
      return lastError.get();
    }
  }

  private final Map<String, TargetCounters> targets = new ConcurrentHashMap<>();
  private final LongAdder overflows = new LongAdder();
  private final Map<String, LongAdder> callbackFailures = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> callbacksDelivered = new ConcurrentHashMap<>();

  /** The counters of {@code target}, created on first use. */
  public TargetCounters target(String target) {
    return targets.computeIfAbsent(target, t -> new TargetCounters());
  }

  @Override
  public void delivered(String target, Work work, Delivery delivery, Duration took) {
    TargetCounters c = target(target);
    c.files.add(delivery.files());
    c.bytes.add(delivery.bytes());
    Instant now = Instant.now();
    if (delivery.ok()) {
      c.lastSuccess.set(now);
      if (work instanceof Work.FullSync) {
        c.fullSyncs.increment();
        c.fullSyncNanos.addAndGet(took.toNanos());
        c.lastFullSyncNanos.set(took.toNanos());
      } else {
        c.batches.increment();
      }
      return;
    }
    c.retries.increment();
    c.failuresByExit.computeIfAbsent(exitCode(delivery.detail()), k -> new LongAdder()).increment();
    c.lastErrorAt.set(now);
    c.lastError.set(delivery.detail());
  }

  /** The rsync exit code named in a delivery's detail, or {@code other}. */
  static String exitCode(String detail) {
    Matcher m = RSYNC_EXIT.matcher(detail == null ? "" : detail);
    return m.find() ? m.group(1) : "other";
  }

  /** The watcher lost events and a full sync was asked for. */
  public void overflow() {
    overflows.increment();
  }

  public long overflows() {
    return overflows.sum();
  }

  /** A callback attempt to {@code url} (redacted) failed. */
  public void callbackFailed(String url) {
    callbackFailures.computeIfAbsent(url, k -> new LongAdder()).increment();
  }

  /** A callback to {@code url} (redacted) was accepted. */
  public void callbackDelivered(String url) {
    callbacksDelivered.computeIfAbsent(url, k -> new LongAdder()).increment();
  }

  public SortedMap<String, Long> callbackFailures() {
    SortedMap<String, Long> out = new TreeMap<>();
    callbackFailures.forEach((url, n) -> out.put(url, n.sum()));
    return out;
  }

  public SortedMap<String, Long> callbacksDelivered() {
    SortedMap<String, Long> out = new TreeMap<>();
    callbacksDelivered.forEach((url, n) -> out.put(url, n.sum()));
    return out;
  }
}

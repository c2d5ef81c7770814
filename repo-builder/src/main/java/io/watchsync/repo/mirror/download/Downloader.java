package io.watchsync.repo.mirror.download;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.upstream.Fetcher;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.sign.PackageRejectedException;
import io.watchsync.repo.sign.PackageVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Brings every package of the closure into the mirror, {@code jobs} at a time: a file already there
 * and verified (by the state of an earlier run, or by reading it) is kept; anything else is fetched
 * and verified before it takes its final name.
 */
public final class Downloader {
  /** One package to have at {@code target} ({@code key}: its path in the mirror). */
  public record Task(Pkg pkg, Fetcher fetcher, Path target, String key) {}

  /** What became of the tasks. */
  public record Outcome(int fetched, int present, long bytes, List<String> failures) {}

  /** Told of progress; called from several threads. */
  public interface Listener {
    default void planned(int files, long bytes) {}

    default void received(long bytes) {}

    default void finished(Task task, boolean fetched) {}

    default void failed(Task task, String why) {}
  }

  private final int jobs;
  private final MirrorState state;
  private final Listener listener;
  private final PackageVerifier signatures;

  public Downloader(int jobs, MirrorState state, Listener listener) {
    this(jobs, state, listener, null);
  }

  /**
   * @param signatures with {@code --gpgcheck}: every package, fetched or already there, must be
   *     signed by one of its keys; null checks no signature
   */
  public Downloader(int jobs, MirrorState state, Listener listener, PackageVerifier signatures) {
    this.jobs = Math.max(1, jobs);
    this.state = state;
    this.listener = listener;
    this.signatures = signatures;
  }

  public Outcome download(List<Task> tasks) throws InterruptedException, IOException {
    List<Task> missing = new ArrayList<>();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    int present = 0;
    for (Task t : tasks) {
      if (isGood(t)) {
        String untrusted = untrusted(t.target());
        if (untrusted == null) {
          present++;
          continue;
        }
        // Taken by an earlier run without --gpgcheck: not trusted now, so not in the mirror.
        Files.deleteIfExists(t.target());
        state.forget(t.key());
        String why = t.pkg().fileName() + ": refused: " + untrusted;
        failures.add(why);
        listener.failed(t, why);
      } else {
        missing.add(t);
      }
    }
    long planned = missing.stream().mapToLong(t -> Math.max(0, t.pkg().size())).sum();
    listener.planned(missing.size(), planned);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            jobs,
            r -> {
              Thread thread = new Thread(r, "mirror-download");
              thread.setDaemon(true);
              return thread;
            });
    int fetched = 0;
    java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (Task t : missing) {
        futures.add(pool.submit(() -> fetch(t, failures, received)));
      }
      for (Future<Boolean> f : futures) {
        try {
          if (f.get()) {
            fetched++;
          }
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(fetched, present, received.get(), List.copyOf(failures));
  }

  /**
   * Why {@code file} is not signed by a trusted key, or null when it is (or nothing is checked).
   */
  private String untrusted(Path file) {
    if (signatures == null) {
      return null;
    }
    try {
      signatures.verify(file);
      return null;
    } catch (PackageRejectedException e) {
      return e.reason();
    }
  }

  /** The same for a package whose digests were checked just now. */
  private String untrusted(RpmFile checked) {
    if (signatures == null) {
      return null;
    }
    try {
      signatures.verify(checked);
      return null;
    } catch (PackageRejectedException e) {
      return e.reason();
    }
  }

  /** A file already in place with the upstream checksum. */
  private boolean isGood(Task t) throws IOException {
    if (!Files.isRegularFile(t.target())) {
      return false;
    }
    Pkg p = t.pkg();
    if (state.verified(t.key(), t.target(), p.checksumType(), p.checksum())) {
      return true;
    }
    if (PackageIntegrity.problem(p, t.target()) == null) {
      state.record(t.key(), t.target(), p.checksumType(), p.checksum());
      return true;
    }
    state.forget(t.key());
    return false;
  }

  private boolean fetch(
      Task t, List<String> failures, java.util.concurrent.atomic.AtomicLong received)
      throws IOException, InterruptedException {
    Pkg p = t.pkg();
    // Verified as it arrives; with --gpgcheck its signatures are then checked on what was read.
    java.util.concurrent.atomic.AtomicReference<RpmFile> arrived =
        new java.util.concurrent.atomic.AtomicReference<>();
    try {
      t.fetcher()
          .fetch(
              p.href(),
              t.target(),
              p.size() > 0 ? p.size() : -1,
              (content, file) -> {
                PackageIntegrity.Verdict verdict = PackageIntegrity.check(p, content, file);
                arrived.set(verdict.rpm());
                return verdict.problem();
              },
              file -> {
                String untrusted = untrusted(arrived.get());
                if (untrusted != null) {
                  throw new Fetcher.Refused(untrusted);
                }
                return null;
              },
              n -> {
                received.addAndGet(n);
                listener.received(n);
              });
      state.record(t.key(), t.target(), p.checksumType(), p.checksum());
      listener.finished(t, true);
      return true;
    } catch (Fetcher.FetchException e) {
      String why = p.fileName() + ": " + e.getMessage();
      failures.add(why);
      listener.failed(t, why);
      if (e.getMessage().contains("no space left on device")) {
        throw new IOException(e.getMessage());
      }
      return false;
    } catch (IOException e) {
      String why = p.fileName() + ": " + IoErrors.describe(e);
      failures.add(why);
      listener.failed(t, why);
      return false;
    }
  }
}

package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.files.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Fetches files of one upstream repository as librepo does: into a hidden {@code .NAME.part} file
 * next to the target, resumed with HTTP Range after a dropped connection, verified, and only then
 * renamed to its final name. Every baseurl is tried in turn (starting with the last one that
 * worked), for a number of rounds with a growing pause between them. A file that arrives whole but
 * fails verification is deleted and fetched again from the start.
 */
public final class Fetcher {
  /** Checks a fully fetched file before it gets its final name. */
  public interface Verifier {
    /** Returns null when {@code file} is good, else why not. */
    String problem(Path file) throws IOException;
  }

  /**
   * Thrown by a {@link Verifier} that refuses a file for good (signed by a key that is not trusted,
   * or not signed): it is deleted and not fetched again, from this baseurl or another.
   */
  public static final class Refused extends IOException {
    public Refused(String message) {
      super(message);
    }
  }

  /** Every attempt failed: the reasons, the last one first. */
  public static final class FetchException extends IOException {
    private final boolean corrupt;

    FetchException(String message, boolean corrupt) {
      super(message);
      this.corrupt = corrupt;
    }

    /** True when the file kept arriving with the wrong content (not merely unreachable). */
    public boolean corrupt() {
      return corrupt;
    }
  }

  /** One transfer buffer per download thread, not one per file. */
  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[1 << 16]);

  private final Transport transport;
  private final List<URI> baseurls;
  private final int rounds;
  private final long backoffMillis;
  private final AtomicInteger preferred = new AtomicInteger();

  /**
   * @param rounds how many times every baseurl is tried (at least 1)
   * @param backoffMillis the pause after the first failed round, doubled after each further one
   */
  public Fetcher(Transport transport, List<URI> baseurls, int rounds, long backoffMillis) {
    if (baseurls.isEmpty()) {
      throw new IllegalArgumentException("no baseurl");
    }
    this.transport = transport;
    this.baseurls = baseurls.stream().map(Fetcher::asDirectory).toList();
    this.rounds = Math.max(1, rounds);
    this.backoffMillis = backoffMillis;
  }

  /** The temporary name of {@code target} while it is fetched: hidden, so no index reads it. */
  public static Path partial(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".part");
  }

  /**
   * Fetches {@code href} (relative to the baseurl) into {@code target}, replacing it atomically.
   *
   * @param size the expected size, or -1 when unknown
   * @param bytes told of every chunk received
   */
  public void fetch(String href, Path target, long size, Verifier verifier, LongConsumer bytes)
      throws IOException, InterruptedException {
    Path part = partial(target);
    Files.createDirectories(target.getParent());
    List<String> reasons = new ArrayList<>();
    boolean corrupt = false;
    for (int round = 0; round < rounds; round++) {
      int first = preferred.get();
      for (int k = 0; k < baseurls.size(); k++) {
        int index = (first + k) % baseurls.size();
        URI url = baseurls.get(index).resolve(href);
        try {
          transfer(url, part, size, bytes);
          String problem = verifier.problem(part);
          if (problem == null) {
            Files.move(
                part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            preferred.set(index);
            return;
          }
          Files.deleteIfExists(part);
          corrupt = true;
          reasons.add(url + ": " + problem);
        } catch (Refused e) {
          Files.deleteIfExists(part);
          throw new FetchException("refused: " + e.getMessage(), true);
        } catch (Transport.StatusException e) {
          if (e.status() == 416) {
            Files.deleteIfExists(part); // what was kept is not a prefix of this file
          }
          reasons.add(e.getMessage());
        } catch (IOException e) {
          reasons.add(url + ": " + IoErrors.describe(e));
          if (isDiskFull(e)) {
            Files.deleteIfExists(part);
            throw new FetchException(target.getParent() + ": no space left on device", false);
          }
        }
      }
      if (round + 1 < rounds) {
        Thread.sleep(backoffMillis << Math.min(round, 6));
      }
    }
    String last = reasons.isEmpty() ? "no attempt" : reasons.get(reasons.size() - 1);
    throw new FetchException(
        (corrupt ? "refused after " : "failed after ") + reasons.size() + " attempts: " + last,
        corrupt);
  }

  private static boolean isDiskFull(IOException e) {
    String m = e.getMessage();
    return m != null && m.contains("No space left on device");
  }

  /** Appends the rest of {@code url} to {@code part}, resuming from its current size. */
  private void transfer(URI url, Path part, long size, LongConsumer bytes) throws IOException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (size >= 0 && have > size) {
      Files.delete(part);
      have = 0;
    }
    if (size >= 0 && have == size) {
      return; // complete already: the verifier decides
    }
    try (Transport.Response response = transport.open(url, have)) {
      StandardOpenOption mode =
          response.offset() == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
      try (OutputStream out =
              Files.newOutputStream(
                  part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
          InputStream in = response.body()) {
        byte[] buffer = BUFFER.get();
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          bytes.accept(n);
        }
      }
    }
    long got = Files.size(part);
    if (size >= 0 && got < size) {
      // Kept for the next attempt to resume from.
      throw new IOException("connection closed after " + got + " of " + size + " bytes");
    }
  }

  private static URI asDirectory(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? uri : URI.create(s + "/");
  }
}

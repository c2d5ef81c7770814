package io.watchsync.repo.mirror.upstream;

import io.watchsync.repo.files.IoErrors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
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
   * Checks a file in the same pass that writes it, so a large file is not read back: it is handed
   * the whole file from its first byte (a resumed transfer's earlier part included) as it arrives.
   */
  public interface ArrivalCheck {
    /** No check while arriving: the file is only written. */
    ArrivalCheck NONE = (content, file) -> null;

    /**
     * Reads {@code content} (which {@code file} is being written from) and returns null when it is
     * good, else why not. The file is complete only once {@code content} reached its end; an
     * IOException of {@code content} (a dropped connection, a full disk) must propagate.
     */
    String problem(InputStream content, Path file) throws IOException;
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
    fetch(href, target, size, ArrivalCheck.NONE, verifier, bytes);
  }

  /**
   * Fetches {@code href} (relative to the baseurl) into {@code target}, replacing it atomically,
   * once {@code whileArriving} and then {@code onceWritten} found nothing wrong with it.
   *
   * @param size the expected size, or -1 when unknown
   * @param bytes told of every chunk received
   */
  public void fetch(
      String href,
      Path target,
      long size,
      ArrivalCheck whileArriving,
      Verifier onceWritten,
      LongConsumer bytes)
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
          String problem = transfer(url, part, size, whileArriving, bytes);
          if (problem == null) {
            problem = onceWritten.problem(part);
          }
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

  /**
   * Appends the rest of {@code url} to {@code part}, resuming from its current size, while {@code
   * check} reads the whole file as it is written.
   *
   * @return what {@code check} found wrong, or null
   */
  private String transfer(URI url, Path part, long size, ArrivalCheck check, LongConsumer bytes)
      throws IOException {
    long have = Files.exists(part) ? Files.size(part) : 0;
    if (size >= 0 && have > size) {
      Files.delete(part);
      have = 0;
    }
    if (size >= 0 && have == size) {
      try (InputStream whole = Files.newInputStream(part)) {
        return checkToEnd(check, whole, part); // complete already
      }
    }
    try (Transport.Response response = transport.open(url, have)) {
      long kept = response.offset();
      StandardOpenOption mode =
          kept == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
      try (InputStream earlier =
              kept == 0
                  ? InputStream.nullInputStream()
                  : new Prefix(Files.newInputStream(part), kept);
          OutputStream out =
              Files.newOutputStream(
                  part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
          InputStream arriving = new Arriving(response.body(), out, kept, size, bytes)) {
        return checkToEnd(check, new SequenceInputStream(earlier, arriving), part);
      }
    }
  }

  /** What {@code check} says of {@code content}, which is read to its end in any case. */
  private static String checkToEnd(ArrivalCheck check, InputStream content, Path file)
      throws IOException {
    String problem = check.problem(content, file);
    byte[] buffer = BUFFER.get();
    while (content.read(buffer) > 0) {
      // the rest, which the check did not need, still belongs in the file
    }
    return problem;
  }

  /** The first {@code limit} bytes of a stream: the part of a file kept from an earlier attempt. */
  private static final class Prefix extends FilterInputStream {
    private long left;

    Prefix(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("the partial file shrank while it was resumed");
      }
      left -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(Math.max(n, 0), left));
      left -= skipped;
      return skipped;
    }
  }

  /**
   * A response body that writes every byte it yields to the partial file, and fails, rather than
   * ending, when the connection closes before the expected size: what arrived is kept to resume.
   */
  private static final class Arriving extends FilterInputStream {
    private final OutputStream out;
    private final long size;
    private final LongConsumer bytes;
    private long got;

    Arriving(InputStream body, OutputStream out, long kept, long size, LongConsumer bytes) {
      super(body);
      this.out = out;
      this.got = kept;
      this.size = size;
      this.bytes = bytes;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        if (size >= 0 && got < size) {
          throw new IOException("connection closed after " + got + " of " + size + " bytes");
        }
        return -1;
      }
      out.write(b, off, n);
      got += n;
      bytes.accept(n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buffer = new byte[(int) Math.min(n, 1 << 13)];
      int read = n <= 0 ? 0 : read(buffer, 0, buffer.length);
      return Math.max(read, 0); // every byte skipped is still written
    }
  }

  private static URI asDirectory(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? uri : URI.create(s + "/");
  }
}

package io.watchsync.repo.index;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The index's threads: daemons (a failed run never waits for them), and their results. */
final class Background {
  private Background() {}

  static Thread thread(Runnable r) {
    Thread t = new Thread(r, "repo-builder-worker");
    t.setDaemon(true);
    return t;
  }

  /**
   * The result of {@code f}; its failure as it was thrown (an IOException or a runtime exception),
   * anything else wrapped in an IOException.
   */
  static <T> T await(Future<T> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause.getMessage(), cause);
    }
  }
}

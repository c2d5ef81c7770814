package io.watchsync.repo.cli;

import io.watchsync.repo.index.ProgressListener;
import java.io.PrintWriter;

/**
 * Shows "N/TOTAL packages, R/s" on one terminal line, redrawn at most ten times a second, and
 * clears it at the end. Used only when the command runs on a terminal.
 */
final class TerminalProgress implements ProgressListener {
  private final PrintWriter err;
  private final String what;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  TerminalProgress(PrintWriter err, String what) {
    this.err = err;
    this.what = what;
  }

  /** A listener for the terminal, or one that stays quiet when output is not a terminal. */
  static ProgressListener forConsole(PrintWriter err, String what) {
    return System.console() != null ? new TerminalProgress(err, what) : ProgressListener.NONE;
  }

  @Override
  public synchronized void progress(int done, int total) {
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max((now - start) / 1e9, 1e-3);
    err.printf("\r%s %d/%d packages, %.0f/s   ", what, done, total, done / seconds);
    err.flush();
    drawn = true;
  }

  /** Clears the progress line, if one was drawn. */
  static void clear(ProgressListener listener) {
    if (listener instanceof TerminalProgress t && t.drawn) {
      t.err.print("\r\033[K");
      t.err.flush();
    }
  }
}

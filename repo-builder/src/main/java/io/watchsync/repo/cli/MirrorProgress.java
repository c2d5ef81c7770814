package io.watchsync.repo.cli;

import io.watchsync.repo.mirror.Mirror;
import io.watchsync.repo.mirror.download.Downloader;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * On a terminal, one line redrawn at most ten times a second: files and bytes done, rate and time
 * left. Failures are printed on their own line, terminal or not.
 */
final class MirrorProgress implements Mirror.Listener {
  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private int files;
  private long total;
  private int done;
  private long bytes;
  private long lastDraw;
  private boolean drawn;

  MirrorProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public synchronized void phase(String what) {
    if (terminal) {
      err.print("\r\033[K" + what + "...");
      err.flush();
      drawn = true;
    }
  }

  @Override
  public synchronized void planned(int count, long size) {
    files = count;
    total = size;
  }

  @Override
  public synchronized void received(long n) {
    bytes += n;
    draw(false);
  }

  @Override
  public synchronized void finished(Downloader.Task task, boolean fetched) {
    done++;
    draw(done == files);
  }

  @Override
  public synchronized void failed(Downloader.Task task, String why) {
    done++;
    clear();
    err.println(OneLine.of("repo-builder mirror: " + why));
    err.flush();
  }

  private void draw(boolean force) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    double seconds = Math.max((now - start) / 1e9, 1e-3);
    double rate = bytes / seconds;
    String eta = rate > 0 && total > bytes ? Math.round((total - bytes) / rate) + "s" : "-";
    err.printf(
        Locale.ROOT,
        "\r\033[Kdownloading %d/%d files, %s/%s, %s/s, ETA %s",
        done,
        files,
        human(bytes),
        human(total),
        human((long) rate),
        eta);
    err.flush();
    drawn = true;
  }

  synchronized void clear() {
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
      drawn = false;
    }
  }

  static String human(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}

package io.watchsync.agent.replicate;

import java.util.ArrayList;
import java.util.List;

/**
 * What one transport run achieved.
 *
 * @param verdict how the replicator must go on
 * @param detail a one-line explanation for logs (never holds a secret)
 * @param files files transferred
 * @param bytes bytes transferred
 * @param itemized the names the transport reported as changed on the target, for logs
 */
public record Delivery(
    Verdict verdict, String detail, long files, long bytes, List<String> itemized) {

  /** How a run ended. */
  public enum Verdict {
    /** Delivered (vanished source files included: they are gone, nothing to send). */
    DONE,
    /** The target did not answer or the connection broke: retry everything later. */
    TARGET_DOWN,
    /** Some files failed (I/O, partial transfer): retry this work later, others go on. */
    RETRY_LATER,
    /** A configuration or usage error: reported, retried at the longest delay. */
    FAILED,
    /**
     * Nothing was run: the source's file system is not the one recorded at start (unmounted, or
     * another one mounted in its place). The work waits until it is back.
     */
    SOURCE_LOST,
    /**
     * A full sync was not run: it would delete more on the target than {@code max_delete} allows.
     * It waits for the operator ({@code watchsync sync-now --allow-deletes}).
     */
    DELETIONS_HELD,
    /**
     * Nothing was run: the target's tree has a newer generation than the source's (a backup was
     * promoted since) or claims the same one from another node. Pushing would overwrite the new
     * primary; only the operator can settle it.
     */
    SPLIT_BRAIN
  }

  /** A run that was not made, and why. */
  public static Delivery notRun(Verdict verdict, String detail) {
    return new Delivery(verdict, detail, 0, 0, List.of());
  }

  public static Delivery done(String detail) {
    return new Delivery(Verdict.DONE, detail, 0, 0, List.of());
  }

  /**
   * Two runs of one piece of work that are both made whatever the first achieved (rsync's sends,
   * then its deletions): the worse verdict, both details, the sums.
   */
  public static Delivery combine(Delivery a, Delivery b) {
    Verdict worse = a.verdict.compareTo(b.verdict) >= 0 ? a.verdict : b.verdict;
    return summed(worse, a.detail + "; " + b.detail, a, b);
  }

  /**
   * This run, which succeeded, and {@code next}, which was made only because it did (a batch's
   * recursive sends after its plain ones): {@code next}'s verdict and detail, since this run has
   * nothing to add to them, and the sums of both.
   */
  public Delivery followedBy(Delivery next) {
    if (!ok()) {
      throw new IllegalStateException("a run that failed (" + detail + ") is followed by nothing");
    }
    return summed(next.verdict, next.detail, this, next);
  }

  private static Delivery summed(Verdict verdict, String detail, Delivery a, Delivery b) {
    List<String> names = new ArrayList<>(a.itemized);
    names.addAll(b.itemized);
    return new Delivery(verdict, detail, a.files + b.files, a.bytes + b.bytes, names);
  }

  public boolean ok() {
    return verdict == Verdict.DONE;
  }
}

package io.watchsync.agent.status;

import io.watchsync.agent.replicate.TargetState;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders the metrics in the Prometheus text exposition format (version 0.0.4): a {@code # HELP}
 * and {@code # TYPE} line per metric, then one sample per label set.
 */
final class PrometheusText {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  private PrometheusText() {}

  static String render(AgentView agent, Metrics metrics) {
    PrometheusText p = new PrometheusText();
    List<TargetStatus> targets = agent.targets();
    p.header("watchsync_watched_directories", "gauge", "Directories under inotify watch.");
    p.sample("watchsync_watched_directories", "", agent.watchedDirectories());
    p.header(
        "watchsync_source_lost",
        "gauge",
        "1 while the source's file system is gone (unmounted, replaced) and every target is held.");
    p.sample("watchsync_source_lost", "", agent.sourceLoss() == null ? 0 : 1);
    p.header(
        "watchsync_inotify_overflows_total",
        "counter",
        "Times the kernel dropped inotify events (each one causes a full sync).");
    p.sample("watchsync_inotify_overflows_total", "", metrics.overflows());
    p.perTarget(
        targets,
        "watchsync_target_up",
        "gauge",
        "1 while the target is up (its last run went through), 0 when failing, down or held.",
        t -> t.state() == TargetState.UP ? 1 : 0);
    p.header(
        "watchsync_target_state",
        "gauge",
        "1 for the target's state (up, failing, down or held), 0 for the other three.");
    for (TargetStatus t : targets) {
      for (TargetState s : TargetState.values()) {
        p.sample(
            "watchsync_target_state",
            "target=\"" + escape(t.name()) + "\",state=\"" + s.word() + "\"",
            t.state() == s ? 1 : 0);
      }
    }
    p.perTarget(
        targets,
        "watchsync_pending_changes",
        "gauge",
        "Changed paths queued or being sent.",
        TargetStatus::pending);
    p.perTarget(
        targets,
        "watchsync_oldest_pending_age_seconds",
        "gauge",
        "Age of the oldest change not yet delivered: the replication lag.",
        t -> t.lag().toNanos() / 1e9);
    p.perTarget(
        targets,
        "watchsync_files_sent_total",
        "counter",
        "Files created, updated or deleted on the target.",
        t -> t.counters().files());
    p.perTarget(
        targets,
        "watchsync_bytes_sent_total",
        "counter",
        "File data bytes sent to the target.",
        t -> t.counters().bytes());
    p.perTarget(
        targets,
        "watchsync_batches_total",
        "counter",
        "Batches (and renames) delivered to the target.",
        t -> t.counters().batches());
    p.perTarget(
        targets,
        "watchsync_retries_total",
        "counter",
        "Runs that failed and were queued again.",
        t -> t.counters().retries());
    p.header(
        "watchsync_rsync_failures_total",
        "counter",
        "Failed runs by rsync exit code (\"other\": rsync could not run or said no code).");
    for (TargetStatus t : targets) {
      for (Map.Entry<String, Long> e : t.counters().failuresByExit().entrySet()) {
        p.sample(
            "watchsync_rsync_failures_total",
            "target=\"" + escape(t.name()) + "\",code=\"" + escape(e.getKey()) + "\"",
            e.getValue());
      }
    }
    p.perTarget(
        targets,
        "watchsync_full_syncs_total",
        "counter",
        "Full syncs completed.",
        t -> t.counters().fullSyncs());
    p.perTarget(
        targets,
        "watchsync_full_sync_seconds_total",
        "counter",
        "Time spent in completed full syncs.",
        t -> t.counters().fullSyncSeconds());
    p.perTarget(
        targets,
        "watchsync_last_full_sync_seconds",
        "gauge",
        "Duration of the last completed full sync.",
        t -> t.counters().lastFullSyncSeconds());
    p.perTarget(
        targets,
        "watchsync_last_success_timestamp_seconds",
        "gauge",
        "Unix time of the last successful run (0: none yet).",
        t ->
            t.counters().lastSuccess() == null
                ? 0
                : t.counters().lastSuccess().toEpochMilli() / 1000.0);
    p.header(
        "watchsync_callback_failures_total", "counter", "Callback attempts that failed, by URL.");
    for (Map.Entry<String, Long> e : metrics.callbackFailures().entrySet()) {
      p.sample(
          "watchsync_callback_failures_total", "url=\"" + escape(e.getKey()) + "\"", e.getValue());
    }
    p.header("watchsync_callbacks_delivered_total", "counter", "Callbacks accepted, by URL.");
    for (Map.Entry<String, Long> e : metrics.callbacksDelivered().entrySet()) {
      p.sample(
          "watchsync_callbacks_delivered_total",
          "url=\"" + escape(e.getKey()) + "\"",
          e.getValue());
    }
    return p.out.toString();
  }

  private void perTarget(
      List<TargetStatus> targets,
      String name,
      String type,
      String help,
      Function<TargetStatus, Number> value) {
    header(name, type, help);
    for (TargetStatus t : targets) {
      sample(name, "target=\"" + escape(t.name()) + "\"", value.apply(t));
    }
  }

  private void header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String labels, Number value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private static String format(Number n) {
    if (n instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15
          ? Long.toString(d.longValue())
          : String.format(Locale.ROOT, "%.3f", d);
    }
    return n.toString();
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}

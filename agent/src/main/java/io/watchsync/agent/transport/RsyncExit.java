package io.watchsync.agent.transport;

import io.watchsync.agent.replicate.Delivery.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an rsync exit code means for replication: whether the target is down (wait and retry
 * everything), some files failed (retry this work), or the setup is wrong (report loudly).
 *
 * @param code the exit code
 * @param verdict how the replicator should go on
 * @param detail one line naming the code, its meaning and rsync's own last words
 */
public record RsyncExit(int code, Verdict verdict, String detail) {
  private static final int MAX_DETAIL = 600;

  /** Classifies {@code code}; {@code stderr} (rsync's error output, may be empty) refines it. */
  public static RsyncExit of(int code, String stderr) {
    String errors = stderr == null ? "" : stderr;
    Verdict verdict = verdict(code, errors);
    String text = "rsync exit " + code + ": " + meaning(code);
    String said = lastWords(errors);
    if (!said.isEmpty()) {
      text += ": " + said;
    }
    if (text.length() > MAX_DETAIL) {
      text = text.substring(0, MAX_DETAIL - 1) + "…";
    }
    return new RsyncExit(code, verdict, text);
  }

  /** rsync's documented meaning of an exit code (see rsync(1), EXIT VALUES). */
  public static String meaning(int code) {
    return switch (code) {
      case 0 -> "success";
      case 1 -> "syntax or usage error";
      case 2 -> "protocol incompatibility";
      case 3 -> "errors selecting input/output files, dirs";
      case 4 -> "requested action not supported";
      case 5 -> "error starting client-server protocol";
      case 6 -> "daemon unable to append to log-file";
      case 10 -> "error in socket I/O";
      case 11 -> "error in file I/O";
      case 12 -> "error in rsync protocol data stream";
      case 13 -> "errors with program diagnostics";
      case 14 -> "error in IPC code";
      case 20 -> "received SIGUSR1 or SIGINT";
      case 21 -> "some error returned by waitpid()";
      case 22 -> "error allocating core memory buffers";
      case 23 -> "partial transfer due to error";
      case 24 -> "partial transfer due to vanished source files";
      case 25 -> "the --max-delete limit stopped deletions";
      case 30 -> "timeout in data send/receive";
      case 35 -> "timeout waiting for daemon connection";
      case 124 -> "remote shell failed";
      case 125 -> "remote shell killed";
      case 126 -> "remote command could not be run";
      case 127 -> "remote command not found (is rsync installed on the target?)";
      case 255 -> "ssh failed (host unreachable or login refused)";
      default -> code > 128 && code < 160 ? "killed by signal " + (code - 128) : "unknown error";
    };
  }

  private static Verdict verdict(int code, String stderr) {
    String err = stderr.toLowerCase(Locale.ROOT);
    return switch (code) {
      case 0, 24 -> Verdict.DONE;
      case 12 ->
          err.contains("0 bytes received so far") || err.contains("ssh: ")
              ? sshVerdict(err)
              : Verdict.RETRY_LATER;
      case 11, 14, 20, 21, 22, 23, 30 -> Verdict.RETRY_LATER;
      case 10, 35, 124, 125 -> Verdict.TARGET_DOWN;
      case 5 -> startupVerdict(err);
      case 255 -> sshVerdict(err);
      default -> Verdict.FAILED;
    };
  }

  /**
   * Exit 5 covers both a daemon that answered "no" (wrong password, unknown module: only the
   * operator can fix that) and a connection that broke before the greeting (a restarting daemon).
   */
  private static Verdict startupVerdict(String err) {
    if (err.contains("max connections") || err.contains("try again later")) {
      return Verdict.TARGET_DOWN;
    }
    if (err.contains("@error") || err.contains("auth failed") || err.contains("unknown module")) {
      return Verdict.FAILED;
    }
    if (err.contains("password file") || err.contains("password-file")) {
      return Verdict.FAILED;
    }
    return Verdict.TARGET_DOWN;
  }

  /**
   * The remote shell failed before rsync said a word: ssh exits 255 (and rsync then reports exit
   * 12, "0 bytes received so far") both for an unreachable host, which heals by itself, and for a
   * refused login or a missing remote rsync, which need the operator.
   */
  private static Verdict sshVerdict(String err) {
    if (err.contains("permission denied")
        || err.contains("host key verification failed")
        || err.contains("bad configuration option")
        || err.contains("command not found")
        || err.contains("no such file or directory")) {
      return Verdict.FAILED;
    }
    return Verdict.TARGET_DOWN;
  }

  /**
   * The informative tail of rsync's error output: the final "rsync error: ... (code N) at
   * main.c(...)" line only repeats the code, so the lines before it are kept.
   */
  static String lastWords(String stderr) {
    List<String> lines = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("rsync error:")) {
        continue;
      }
      if (l.startsWith("rsync: ")) {
        l = l.substring(7);
      }
      l = l.replace("[Receiver] ", "").replace("[sender] ", "").replace("[Sender] ", "");
      l = l.replace("[receiver] ", "").replace("[generator] ", "").replace("[client] ", "");
      if (l.startsWith("@ERROR: ")) {
        l = l.substring(8);
      }
      lines.add(l);
    }
    List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
    return String.join("; ", tail);
  }
}

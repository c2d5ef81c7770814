package io.watchsync.agent.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one program without a shell: feeds its standard input from a byte array while reading its
 * output and error streams on their own threads, so a program that writes thousands of lines before
 * reading all its input cannot deadlock with us. An interrupt kills the program.
 */
final class ProcessRun {
  private static final int STDERR_LINES = 20;
  private static final int MAX_LINE = 20_000;
  private static final int WATCH_MILLIS = 500;
  static final int TIMEOUT_EXIT = 30;

  /** What the program did. */
  record Result(int exitCode, String stderrTail) {}

  private ProcessRun() {}

  /**
   * Runs {@code command} with {@code LC_ALL=C}, writing {@code stdin} (may be empty) and passing
   * every output line to {@code onLine} (called from another thread). {@code env} is added to the
   * inherited environment.
   *
   * @throws IOException when the program cannot be started
   * @throws InterruptedException after killing the program, when the calling thread is interrupted
   */
  static Result run(
      List<String> command, Map<String, String> env, byte[] stdin, Consumer<String> onLine)
      throws IOException, InterruptedException {
    return run(command, env, stdin, onLine, Duration.ZERO);
  }

  /**
   * As {@link #run(List, Map, byte[], Consumer)}, and stops the program when it (with its children)
   * has read and written nothing for {@code stall} (zero: never). That is rsync's {@code
   * --timeout}, watched from outside: the option itself adds some 40 ms to every run's exit, which
   * in real-time replication is most of a small run. A stopped run ends with rsync's timeout code,
   * 30.
   */
  static Result run(
      List<String> command,
      Map<String, String> env,
      byte[] stdin,
      Consumer<String> onLine,
      Duration stall)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("LC_ALL", "C");
    // Our own arguments decide these; inherited settings would silently change the transfer.
    pb.environment().remove("RSYNC_RSH");
    pb.environment().remove("RSYNC_CONNECT_PROG");
    pb.environment().remove("RSYNC_PROTECT_ARGS");
    pb.environment().remove("RSYNC_OLD_ARGS");
    pb.environment().putAll(env);
    Process process = pb.start();
    Deque<String> errTail = new ArrayDeque<>();
    Thread out = reader(process.getInputStream(), onLine, command.get(0) + "-out");
    Thread err =
        reader(
            process.getErrorStream(),
            line -> {
              synchronized (errTail) {
                if (errTail.size() == STDERR_LINES) {
                  errTail.removeFirst();
                }
                errTail.addLast(line);
              }
            },
            command.get(0) + "-err");
    Thread in = writer(process.getOutputStream(), stdin, command.get(0) + "-in");
    try {
      boolean stalled = awaitExit(process, stall);
      int code = stalled ? TIMEOUT_EXIT : process.exitValue();
      if (stalled) {
        synchronized (errTail) {
          errTail.addLast("no data moved for " + stall.toSeconds() + " s: the run was stopped");
        }
      }
      // The streams end when the program (and any child holding them) exits.
      out.join(TimeUnit.SECONDS.toMillis(10));
      err.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (errTail) {
        return new Result(code, String.join("\n", errTail));
      }
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    } finally {
      in.interrupt();
    }
  }

  /** Waits for the program; true when it was stopped for moving no data for {@code stall}. */
  private static boolean awaitExit(Process process, Duration stall) throws InterruptedException {
    if (stall.isZero()) {
      process.waitFor();
      return false;
    }
    long lastIo = -1;
    long lastChange = System.nanoTime();
    while (!process.waitFor(WATCH_MILLIS, TimeUnit.MILLISECONDS)) {
      long io = ioCount(process);
      long now = System.nanoTime();
      if (io < 0 || io != lastIo) {
        lastIo = io;
        lastChange = now;
      } else if (now - lastChange > stall.toNanos()) {
        kill(process);
        return true;
      }
    }
    return false;
  }

  /** Bytes read and written so far by the program and its children; -1 when unknown. */
  private static long ioCount(Process process) {
    long total = 0;
    for (ProcessHandle h :
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of(process.toHandle()), process.descendants())
            .toList()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "io"))) {
          if (line.startsWith("rchar:") || line.startsWith("wchar:")) {
            total += Long.parseLong(line.substring(6).trim());
          }
        }
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
    return total;
  }

  /** Kills the program and whatever it started (ssh under rsync), then reaps it. */
  static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread reader(InputStream stream, Consumer<String> onLine, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.ISO_8859_1))) {
                String line;
                while ((line = r.readLine()) != null) {
                  onLine.accept(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line);
                }
              } catch (IOException e) {
                // The program died or was killed; its exit code tells what happened.
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Thread writer(OutputStream stream, byte[] data, String name) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream o = stream) {
                o.write(data);
              } catch (IOException e) {
                // The program exited before reading everything (it failed to connect, say).
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}

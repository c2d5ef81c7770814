package io.watchsync.agent.transport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
      int code = process.waitFor();
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

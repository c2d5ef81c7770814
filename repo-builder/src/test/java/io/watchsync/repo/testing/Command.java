package io.watchsync.repo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real command with a deadline and captures its output. */
public record Command(int exit, String out, String err) {

  public static Command run(Duration deadline, String... command) throws IOException {
    return run(deadline, List.of(command));
  }

  public static Command run(Duration deadline, List<String> command) throws IOException {
    Path out = Files.createTempFile("cmd-out", ".txt");
    Path err = Files.createTempFile("cmd-err", ".txt");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      boolean done;
      try {
        done = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("interrupted while running " + command, e);
      }
      if (!done) {
        process.destroyForcibly();
        throw new IOException(command + " still running after " + deadline);
      }
      return new Command(
          process.exitValue(),
          new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Throws with the command's output unless it exited 0; returns stdout. */
  public Command ok(String what) {
    if (exit != 0) {
      throw new AssertionError(
          what + " exited " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
    }
    return this;
  }

  public static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}

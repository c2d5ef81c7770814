package io.watchsync.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Real mounts for tests of what happens when a file system goes away: tmpfs and bind mounts made
 * with mount(8), taken away with umount(8) (lazily too). Needs root: tests that use it are skipped
 * otherwise. Whatever a test leaves mounted is lazily unmounted by {@link #close()}.
 */
public final class Mounts implements AutoCloseable {
  private final Deque<Path> mounted = new ArrayDeque<>();

  /** Skips the calling test unless it runs as root on Linux, where mount(8) works. */
  public static Mounts requireRoot() throws IOException, InterruptedException {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && Files.isDirectory(Path.of("/proc")),
        "mounting file systems needs root");
    return new Mounts();
  }

  /** Mounts a fresh tmpfs on {@code dir}, of at most {@code size} (e.g. {@code 4m}). */
  public Path tmpfs(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "watchsync-test", dir.toString());
    mounted.push(dir);
    return dir;
  }

  /** Makes the directory {@code from} appear at {@code dir} too. */
  public Path bind(Path from, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    run("mount", "--bind", from.toString(), dir.toString());
    mounted.push(dir);
    return dir;
  }

  /** Unmounts {@code dir}; fails when it is busy. */
  public void umount(Path dir) throws IOException, InterruptedException {
    run("umount", dir.toString());
    mounted.remove(dir);
  }

  /** Detaches {@code dir} at once; the file system lives on while something still uses it. */
  public void lazyUmount(Path dir) throws IOException, InterruptedException {
    run("umount", "-l", dir.toString());
    mounted.remove(dir);
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    while (!mounted.isEmpty()) {
      Path dir = mounted.pop();
      try {
        run("umount", "-l", dir.toString());
      } catch (IOException e) {
        // Already gone.
      }
    }
  }
}

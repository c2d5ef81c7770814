package io.watchsync.agent.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code rsync --daemon} on 127.0.0.1 with password authentication, serving one writable
 * module ({@value #MODULE}) for user {@value #USER}, the way a backup server is set up. It can be
 * stopped and started again on the same port to play a target that goes down and comes back.
 */
public final class RsyncDaemon implements AutoCloseable {
  public static final String USER = "wsuser";
  public static final String MODULE = "replica";
  private static final Duration READY = Duration.ofSeconds(15);
  private static final int START_ATTEMPTS = 5;

  private final Path workDir;
  private final Path replicaDir;
  private final Path configFile;
  private final Path logFile;
  private final Path clientPasswordFile;
  private final String password;
  private int port;
  private Process process;
  private boolean moduleOpen = true;

  private RsyncDaemon(Path workDir) throws IOException {
    this.workDir = workDir.toAbsolutePath();
    this.replicaDir = Files.createDirectories(this.workDir.resolve(MODULE));
    this.configFile = this.workDir.resolve("rsyncd.conf");
    this.logFile = this.workDir.resolve("rsyncd.log");
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    this.password = "pw-" + HexFormat.of().formatHex(random);
    this.clientPasswordFile = privateFile(this.workDir.resolve("client.password"), password + "\n");
    privateFile(this.workDir.resolve("rsyncd.secrets"), USER + ":" + password + "\n");
  }

  /** Starts a daemon with its files in {@code workDir}, on a free port. */
  public static RsyncDaemon start(Path workDir) throws IOException {
    RsyncDaemon d = new RsyncDaemon(Files.createDirectories(workDir));
    IOException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      d.port = LoopbackPorts.free();
      try {
        d.launch();
        return d;
      } catch (BindFailed e) {
        // Another process took the port between our check and the daemon's bind: try another.
        last = e;
      }
    }
    throw new IOException("rsync daemon could not bind a port", last);
  }

  /** The target URL for the module, with user and port. */
  public String url() {
    return "rsync://" + USER + "@127.0.0.1:" + port + "/" + MODULE;
  }

  public int port() {
    return port;
  }

  /** The client's password file (mode 0600), for {@code --password-file}. */
  public Path clientPasswordFile() {
    return clientPasswordFile;
  }

  /** The module's password, for tests proving it never shows in messages. */
  public String password() {
    return password;
  }

  /** The directory the module writes into. */
  public Path replicaDir() {
    return replicaDir;
  }

  /**
   * Closes or opens the module while the daemon runs, as the HA roles gate a backup's writable
   * module during its rejoin: the daemon reads its configuration again for each connection, and
   * answers "Unknown module" while it is closed.
   */
  public synchronized void moduleOpen(boolean open) throws IOException {
    moduleOpen = open;
    writeConfig();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the daemon and its connections, and waits until the port refuses connections. */
  public synchronized void stop() throws IOException {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the rsync daemon");
    }
    process = null;
    waitFor(() -> !LoopbackPorts.accepts(port), "port " + port + " to close");
  }

  /** Starts the daemon again on the same port (after {@link #stop}). */
  public synchronized void start() throws IOException {
    if (isRunning()) {
      return;
    }
    long deadline = System.nanoTime() + READY.toNanos();
    while (true) {
      try {
        launch();
        return;
      } catch (BindFailed e) {
        // The old socket may linger for a moment; the port is ours, so keep trying.
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        pause();
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    stop();
  }

  private void launch() throws IOException {
    writeConfig();
    long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
    ProcessBuilder pb =
        new ProcessBuilder(List.of("rsync", "--daemon", "--no-detach", "--config=" + configFile))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("rsyncd.out").toFile()));
    pb.environment().put("LC_ALL", "C");
    process = pb.start();
    String listening = "listening on port " + port;
    long deadline = System.nanoTime() + READY.toNanos();
    while (true) {
      if (!process.isAlive()) {
        String log = newLog(logOffset);
        process = null;
        throw new BindFailed("rsync daemon on port " + port + " exited: " + log.strip());
      }
      // The log line proves it is our daemon that bound the port, not some other process.
      if (newLog(logOffset).contains(listening) && LoopbackPorts.accepts(port)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        process.destroyForcibly();
        process = null;
        throw new IOException(
            "rsync daemon did not listen on port " + port + " within " + READY.toSeconds() + " s");
      }
      pause();
    }
  }

  private void writeConfig() throws IOException {
    Object uid = Files.getAttribute(workDir, "unix:uid");
    Object gid = Files.getAttribute(workDir, "unix:gid");
    String config =
        String.join(
            "\n",
            "port = " + port,
            "address = 127.0.0.1",
            "log file = " + logFile,
            "",
            "[" + (moduleOpen ? MODULE : MODULE + "-closed") + "]",
            "  path = " + replicaDir,
            "  read only = no",
            "  list = yes",
            // Without a chroot the daemon "sanitizes" symlinks (an absolute target loses its
            // leading slash), so a replica would differ; as root it can chroot like a real
            // backup server does. Numeric ids, as there is no passwd file in the chroot.
            "  use chroot = " + ("0".equals(uid.toString()) ? "yes" : "no"),
            "  numeric ids = yes",
            "  munge symlinks = no",
            "  uid = " + uid,
            "  gid = " + gid,
            "  auth users = " + USER,
            "  secrets file = " + workDir.resolve("rsyncd.secrets"),
            "  strict modes = yes",
            "");
    Files.writeString(configFile, config, StandardCharsets.UTF_8);
  }

  private String newLog(long offset) throws IOException {
    if (!Files.exists(logFile)) {
      return "";
    }
    byte[] all = Files.readAllBytes(logFile);
    int from = (int) Math.min(offset, all.length);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }

  private static Path privateFile(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private static void waitFor(java.util.function.BooleanSupplier done, String what)
      throws IOException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("timed out waiting for " + what);
      }
      pause();
    }
  }

  private static void pause() throws InterruptedIOException {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the rsync daemon");
    }
  }

  /** The daemon exited at start, most likely because its port was taken. */
  private static final class BindFailed extends IOException {
    BindFailed(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return url();
  }
}

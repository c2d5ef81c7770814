package io.watchsync.agent.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OpenSSH server on 127.0.0.1 with its own host key, accepting one client key for the user
 * running the tests: the backup server an ssh target logs in to. Its log tells how many logins it
 * accepted, so a test can tell a shared connection from one login per run.
 */
public final class SshServer implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Duration READY = Duration.ofSeconds(15);
  private static final int START_ATTEMPTS = 5;
  private static final Pattern ACCEPTED = Pattern.compile("Accepted publickey for ");

  private final Path dir;
  private final Path clientKey;
  private final Path logFile;
  private final int port;
  private final Process process;

  private SshServer(Path dir, Path clientKey, Path logFile, int port, Process process) {
    this.dir = dir;
    this.clientKey = clientKey;
    this.logFile = logFile;
    this.port = port;
    this.process = process;
  }

  /** Whether this machine can run one: OpenSSH's server installed and the tests run as root. */
  public static boolean available() {
    return Files.isExecutable(SSHD) && "root".equals(System.getProperty("user.name"));
  }

  /** Starts a server with its keys, configuration and log in {@code workDir}, on a free port. */
  public static SshServer start(Path workDir) throws IOException {
    Path dir = Files.createDirectories(workDir.toAbsolutePath());
    Path hostKey = dir.resolve("host_key");
    Path clientKey = dir.resolve("client_key");
    keygen(hostKey);
    keygen(clientKey);
    Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
    // sshd's privilege separation needs this directory; a machine whose own sshd never ran
    // (as on a fresh test host) does not have it yet.
    Files.createDirectories(Path.of("/run/sshd"));
    Path logFile = dir.resolve("sshd.log");
    for (int attempt = 1; ; attempt++) {
      int port = LoopbackPorts.free();
      Path config = writeConfig(dir, port, hostKey);
      Process process =
          new ProcessBuilder(
                  List.of(SSHD.toString(), "-D", "-E", logFile.toString(), "-f", config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.out").toFile()))
              .start();
      SshServer server = new SshServer(dir, clientKey, logFile, port, process);
      if (server.awaitListening()) {
        return server;
      }
      // Another process took the port between our check and sshd's bind: try another.
      if (attempt == START_ATTEMPTS) {
        throw new IOException("sshd could not listen on a port: " + server.log().strip());
      }
    }
  }

  private static Path writeConfig(Path dir, int port, Path hostKey) throws IOException {
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "PidFile none",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "LogLevel VERBOSE",
            ""),
        StandardCharsets.UTF_8);
    return config;
  }

  /**
   * The remote shell command that logs in here with the client key, as a target's {@code ssh}
   * setting: {@code ssh} itself, so connection sharing applies to it.
   */
  public String sshCommand() {
    return "ssh -p "
        + port
        + " -i "
        + clientKey
        + " -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
        + " -o LogLevel=ERROR";
  }

  /** {@code root@127.0.0.1}, the login and host of a target URL. */
  public String login() {
    return "root@127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** How many logins the server has accepted since it started. */
  public int acceptedLogins() {
    Matcher m = ACCEPTED.matcher(log());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The server's log so far, for failure messages. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Kills the server processes serving the open connections (as a server reboot or a dropped
   * network would end them); the listener stays, so new logins work.
   */
  public void dropConnections() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }

  /** How many connections the server is serving now (one process tree each). */
  public long openConnections() {
    return process.children().count();
  }

  @Override
  public void close() throws IOException {
    dropConnections();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping sshd in " + dir);
    }
  }

  /**
   * Waits until this sshd says it listens (its own log line, so it is not some other process on the
   * port) and accepts connections; false when it exited, as it does when the port is taken.
   */
  private boolean awaitListening() throws IOException {
    String listening = "Server listening on 127.0.0.1 port " + port + ".";
    long deadline = System.nanoTime() + READY.toNanos();
    while (!(log().contains(listening) && LoopbackPorts.accepts(port))) {
      if (!process.isAlive()) {
        return false;
      }
      if (System.nanoTime() - deadline > 0) {
        close();
        throw new IOException("sshd did not listen on port " + port + ": " + log().strip());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while starting sshd");
      }
    }
    return true;
  }

  private static void keygen(Path key) throws IOException {
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("ssh-keygen " + key + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while running ssh-keygen");
    }
  }
}

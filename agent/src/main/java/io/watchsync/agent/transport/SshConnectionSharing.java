package io.watchsync.agent.transport;

import io.watchsync.agent.fs.NameHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One ssh login per target instead of one per rsync run: OpenSSH's connection sharing. The first
 * run's ssh becomes the master ({@code ControlMaster=auto}) and stays in the background for {@link
 * #PERSIST_SECONDS} after the last run ({@code ControlPersist}); later runs open a session over its
 * connection through a socket in the state directory. A run then skips the TCP and key exchange and
 * the login (~0.3 s on loopback, and a line in the server's auth log every time).
 *
 * <p>Only for OpenSSH's {@code ssh} (a remote shell named otherwise is left alone). The options are
 * appended after the configured command, and ssh keeps the first value it is given for an option,
 * so a target's own {@code -o ControlMaster=no} (or ControlPath, ControlPersist) wins.
 */
public final class SshConnectionSharing {
  /** How long a master outlives its last session. */
  static final int PERSIST_SECONDS = 60;

  /**
   * A master whose connection went silent (a dropped network) is given up after 3 unanswered probes
   * 10 s apart, so the next run logs in afresh instead of waiting on a dead connection.
   */
  private static final List<String> KEEPALIVE =
      List.of("-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=3");

  /**
   * sun_path holds 108 bytes with the NUL; ssh binds the master's socket under the name plus a
   * 17-character random suffix first, then renames it.
   */
  private static final int MAX_SOCKET_PATH = 107 - 17;

  private final Path socket;

  SshConnectionSharing(Path socket) {
    this.socket = socket;
  }

  /**
   * Whether {@code shell} runs OpenSSH's {@code ssh} (by name or by a path ending in /ssh). A
   * command with an unbalanced quote is not taken for it: rsync reports that one itself.
   */
  static boolean isOpenSsh(String shell) {
    List<String> words;
    try {
      words = RsyncCommand.splitShellWords(shell);
    } catch (IllegalArgumentException unbalancedQuote) {
      return false;
    }
    Path program = words.isEmpty() ? null : Path.of(words.get(0)).getFileName();
    return program != null && program.toString().equals("ssh");
  }

  /**
   * The socket of the target's shared connection in {@code dir}. Its name holds a hash of the
   * remote shell, the host and the target, so each target has its own connection, and one whose key
   * or options change never rides on a connection logged in with the old ones.
   */
  static Path socketFor(Path dir, String shell, String host, String target) {
    return dir.toAbsolutePath()
        .normalize()
        .resolve("ssh-" + NameHash.of(shell + "\0" + host + "\0" + target, 12));
  }

  /** Why {@code socket} cannot serve as a control socket, or null when it can. */
  static String obstacle(Path socket) {
    String path = socket.toString();
    if (path.length() > MAX_SOCKET_PATH) {
      return "the control socket's path "
          + path
          + " is longer than the "
          + MAX_SOCKET_PATH
          + " characters a Unix socket allows here";
    }
    if (!path.matches("[^'\"\\\\\\s]+")) {
      return "the control socket's path " + path + " holds a quote, backslash or white space";
    }
    return null;
  }

  /** The control socket. */
  public Path socket() {
    return socket;
  }

  /** {@code shell} with the sharing options appended. */
  String applyTo(String shell) {
    StringBuilder sb = new StringBuilder(shell.strip());
    for (String option : options()) {
      sb.append(' ').append(option);
    }
    return sb.toString();
  }

  /** The ssh command asking the master (if one runs) to exit, ending its connection. */
  List<String> exitCommand(String shell, String host) {
    List<String> cmd = new ArrayList<>(RsyncCommand.splitShellWords(shell));
    cmd.addAll(List.of("-o", "ControlPath=" + controlPath(), "-O", "exit", host));
    return cmd;
  }

  private List<String> options() {
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "-o",
            "ControlMaster=auto",
            "-o",
            "ControlPath=" + controlPath(),
            "-o",
            "ControlPersist=" + PERSIST_SECONDS));
    options.addAll(KEEPALIVE);
    return options;
  }

  /** ssh expands %-tokens in ControlPath; a literal % is written %%. */
  private String controlPath() {
    return socket.toString().replace("%", "%%");
  }
}

package io.watchsync.agent.transport;

import io.watchsync.agent.config.TargetUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to run rsync for one target.
 *
 * @param binary the rsync program ({@code "rsync"} to look it up on the PATH)
 * @param source the watched directory
 * @param target where to replicate
 * @param passwordFile the daemon password file (mode 0600), or {@code null}
 * @param sshCommand the remote shell for ssh targets, split on white space like rsync's {@code -e};
 *     {@code null} for {@code ssh -o BatchMode=yes -o ConnectTimeout=<connectTimeout>}
 * @param excludeArgs rsync filter arguments such as {@code --exclude=*.swp}
 * @param timeout rsync's I/O timeout ({@code --timeout}); zero for none
 * @param connectTimeout how long to wait for the daemon or ssh connection; zero for none
 * @param compress whether to compress data on the wire ({@code -z})
 * @param extraArgs further rsync options, appended after the built-in ones
 * @param sshControlDir where an ssh target keeps the socket of its shared connection (see {@link
 *     SshConnectionSharing}): the state directory; {@code null} for a login per run
 */
public record RsyncSettings(
    String binary,
    Path source,
    TargetUrl target,
    Path passwordFile,
    String sshCommand,
    List<String> excludeArgs,
    Duration timeout,
    Duration connectTimeout,
    boolean compress,
    List<String> extraArgs,
    Path sshControlDir) {

  public RsyncSettings {
    if (binary == null || binary.isBlank()) {
      binary = "rsync";
    }
    if (source == null || target == null) {
      throw new IllegalArgumentException("source and target are required");
    }
    if (target.kind() == TargetUrl.Kind.LOCAL) {
      Path src = source.toAbsolutePath().normalize();
      Path dst = target.localPath().toAbsolutePath().normalize();
      // Replicating into itself would copy the copy on every run; the reverse would delete the
      // source's own parent's other content on a full sync.
      if (dst.startsWith(src) || src.startsWith(dst)) {
        throw new IllegalArgumentException(
            "target directory " + dst + " overlaps the source " + src);
      }
    }
    excludeArgs = excludeArgs == null ? List.of() : List.copyOf(excludeArgs);
    extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    timeout = timeout == null ? Duration.ZERO : timeout;
    connectTimeout = connectTimeout == null ? Duration.ZERO : connectTimeout;
    if (timeout.isNegative() || connectTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must not be negative");
    }
  }

  /** Settings with rsync on the PATH, 5 min I/O timeout, 30 s connect timeout, no extras. */
  public static RsyncSettings defaults(Path source, TargetUrl target, Path passwordFile) {
    return new RsyncSettings(
        "rsync",
        source,
        target,
        passwordFile,
        null,
        List.of(),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        false,
        List.of(),
        null);
  }
}

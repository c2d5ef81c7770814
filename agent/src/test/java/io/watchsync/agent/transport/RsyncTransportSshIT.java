package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The transport contract over the ssh code path. No sshd runs in a test, so the remote shell is a
 * stand-in that does what ssh does once logged in: it records the host it was asked for and runs
 * the remote command with {@code /bin/sh -c} on this machine. rsync's remote-shell protocol, the
 * {@code -e} handling and the rename script over the "ssh" command all run for real.
 */
@EnabledOnOs(OS.LINUX)
class RsyncTransportSshIT extends RsyncTransportContract {
  private static final String FAKE_SSH =
      "#!/bin/sh\n"
          + "user=\n"
          + "while [ $# -gt 0 ]; do\n"
          + "  case \"$1\" in -l) user=$2@; shift 2 ;; -o|-p|-i) shift 2 ;; -*) shift ;;"
          + " *) break ;; esac\n"
          + "done\n"
          + "host=$user$1; shift\n"
          + "printf '%s\\n' \"$host\" >> \"$(dirname \"$0\")/hosts\"\n"
          + "if [ \"${host#*@}\" = down.example ]; then\n"
          + "  echo \"ssh: connect to host $host port 22: Connection refused\" >&2; exit 255\n"
          + "fi\n"
          + "exec /bin/sh -c \"$*\"\n";

  @Override
  String sentMark() {
    return "<";
  }

  @Override
  Path replica() {
    return work.resolve("replica");
  }

  private Path fakeSsh() throws IOException {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Path ssh = bin.resolve("fake-ssh");
    if (!Files.exists(ssh)) {
      Files.writeString(ssh, FAKE_SSH);
      Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return ssh;
  }

  private RsyncSettings sshSettings(String host, List<String> excludeArgs) throws IOException {
    return new RsyncSettings(
        "rsync",
        source,
        TargetUrl.parse("backup@" + host + ":" + replica()),
        null,
        fakeSsh() + " -o BatchMode=yes",
        excludeArgs,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        true,
        List.of(),
        null);
  }

  @Override
  RsyncSettings settings(Path source, List<String> excludeArgs) throws IOException {
    this.source = source;
    return sshSettings("backup.example", excludeArgs);
  }

  private List<String> hostsContacted() throws IOException {
    Path hosts = work.resolve("bin/hosts");
    return Files.exists(hosts) ? Files.readAllLines(hosts) : List.of();
  }

  @Test
  void rsyncReachesTheTargetThroughTheConfiguredRemoteShell() throws Exception {
    sh("echo a > a");
    sendPlain(path("a"));
    // Once to read the target's generation (the split-brain guard), once to send.
    assertEquals(List.of("backup@backup.example", "backup@backup.example"), hostsContacted());
  }

  @Test
  void renameRunsOverTheRemoteShellAndMovesWithoutSendingAgain() throws Exception {
    sh("mkdir -p dir/sub && echo content > dir/sub/file.txt");
    fullSync();
    Object inode = Files.getAttribute(replica().resolve("dir/sub/file.txt"), "unix:ino");
    sh("mkdir -p new/place && mv dir new/place/moved");
    delivered(transport.rename(path("dir"), path("new/place/moved")));
    Path moved = replica().resolve("new/place/moved/sub/file.txt");
    assertEquals(inode, Files.getAttribute(moved, "unix:ino"));
    assertFalse(Files.exists(replica().resolve("dir")));
    assertTrue(hostsContacted().size() >= 2, "rename went through the remote shell");
  }

  @Test
  void anUnreachableSshHostMeansTheTargetIsDown() throws Exception {
    transport = new RsyncTransport(sshSettings("down.example", List.of()));
    sh("echo a > a");
    Delivery d = transport.send(List.of(path("a")), false);
    assertEquals(Verdict.TARGET_DOWN, d.verdict(), d.detail());
    // ssh exits 255; rsync passes that on, or reports a stream closed after "0 bytes received".
    assertTrue(
        d.detail().startsWith("rsync exit 255: ") || d.detail().startsWith("rsync exit 12: "),
        d.detail());
    assertTrue(d.detail().contains("Connection refused"), d.detail());
    assertEquals(Verdict.TARGET_DOWN, transport.rename(path("x"), path("y")).verdict());
    assertEquals(Verdict.TARGET_DOWN, transport.probe().verdict());
  }

  @Test
  void renameOfANameTheTargetNeverHadFails() throws Exception {
    Files.createDirectories(replica());
    Delivery d = transport.rename(path("never-sent"), path("new"));
    assertEquals(Verdict.FAILED, d.verdict());
    assertEquals("source of rename missing on target: never-sent", d.detail());
  }
}

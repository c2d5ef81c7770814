package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshConnectionSharingTest {
  private static final Path SOURCE = Path.of("/srv/data");
  private static final Path STATE = Path.of("/var/lib/watchsync/offsite-0123456789abcdef");

  private static RsyncCommand command(String url, String ssh, Path controlDir) {
    return new RsyncCommand(
        new RsyncSettings(
            "rsync",
            SOURCE,
            TargetUrl.parse(url),
            null,
            ssh,
            List.of(),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            false,
            List.of(),
            controlDir));
  }

  @Test
  void theDefaultRemoteShellSharesOneConnectionThroughASocketInTheStateDirectory() {
    RsyncCommand c = command("backup@host.example:/srv/replica", null, STATE);
    List<String> words = RsyncCommand.splitShellWords(c.remoteShell());
    assertEquals(
        List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"), words.subList(0, 5));
    Path socket = c.sshSharing().socket();
    assertEquals(STATE, socket.getParent());
    assertTrue(words.contains("ControlMaster=auto"), words::toString);
    assertTrue(words.contains("ControlPath=" + socket), words::toString);
    assertTrue(words.contains("ControlPersist=" + SshConnectionSharing.PERSIST_SECONDS));
    assertTrue(words.contains("ServerAliveInterval=10"), words::toString);
  }

  @Test
  void aTargetsOwnOptionsComeFirstSoTheyWinOverTheSharingOnes() {
    String own = "/usr/bin/ssh -p 2222 -o ControlMaster=no";
    String shell = command("host.example:/srv/replica", own, STATE).remoteShell();
    assertTrue(shell.startsWith(own + " -o ControlMaster=auto"), shell);
  }

  @Test
  void aRemoteShellOtherThanSshIsLeftAlone() {
    String own = "/usr/local/bin/ssh-wrapper --fast";
    RsyncCommand c = command("host.example:/srv/replica", own, STATE);
    assertEquals(own, c.remoteShell());
    assertNull(c.sshSharing());
    assertNull(c.closeSharedConnection());
  }

  @Test
  void aRemoteShellThatIsOnlyASlashIsNotTakenForSsh() {
    assertNull(command("host.example:/srv/replica", "/", STATE).sshSharing());
  }

  @Test
  void aRemoteShellWithAnUnbalancedQuoteIsLeftToRsyncToReport() {
    RsyncCommand c = command("host.example:/srv/replica", "ssh -o 'Port=22", STATE);
    assertNull(c.sshSharing());
    assertNull(c.sshSharingObstacle());
    assertEquals("ssh -o 'Port=22", c.remoteShell());
  }

  @Test
  void withoutAControlDirectoryEveryRunLogsInItself() {
    RsyncCommand c = command("host.example:/srv/replica", null, null);
    assertEquals("ssh -o BatchMode=yes -o ConnectTimeout=10", c.remoteShell());
  }

  @Test
  void daemonAndLocalTargetsHaveNoSharedConnection() {
    assertNull(command("rsync://u@host.example/data", null, STATE).sshSharing());
    assertNull(command("/mnt/backup", null, STATE).sshSharing());
  }

  @Test
  void aSocketPathTooLongForTheKernelTurnsSharingOff() {
    Path deep = Path.of("/var/lib/" + "x".repeat(80));
    RsyncCommand c = command("host.example:/srv/replica", null, deep);
    assertNull(c.sshSharing());
    assertEquals("ssh -o BatchMode=yes -o ConnectTimeout=10", c.remoteShell());
  }

  @Test
  void aPercentSignInTheStateDirectoryIsEscapedForSsh() {
    RsyncCommand c = command("host.example:/srv/replica", null, Path.of("/var/lib/50%"));
    String socket = c.sshSharing().socket().toString();
    assertTrue(c.remoteShell().contains("ControlPath=" + socket.replace("%", "%%")));
  }

  @Test
  void eachTargetAndEachKeyGetsItsOwnConnection() {
    Path a = command("h1.example:/r", "ssh -i /root/.ssh/a", STATE).sshSharing().socket();
    Path b = command("h1.example:/r", "ssh -i /root/.ssh/b", STATE).sshSharing().socket();
    Path c = command("h2.example:/r", "ssh -i /root/.ssh/a", STATE).sshSharing().socket();
    Path d = command("h1.example:/other", "ssh -i /root/.ssh/a", STATE).sshSharing().socket();
    Path again = command("h1.example:/r", "ssh -i /root/.ssh/a", STATE).sshSharing().socket();
    assertEquals(4, java.util.Set.of(a, b, c, d).size());
    assertEquals(a, again);
  }

  @Test
  void whySharingIsOffIsToldWhenTheSocketCannotBeMade() {
    Path deep = Path.of("/var/lib/" + "x".repeat(80));
    String why = command("host.example:/srv/replica", null, deep).sshSharingObstacle();
    assertTrue(why.contains("longer than"), why);
    assertNull(command("host.example:/srv/replica", null, STATE).sshSharingObstacle());
    assertNull(command("host.example:/r", "/usr/local/bin/myshell", deep).sshSharingObstacle());
    assertNull(command("rsync://u@h/m", null, deep).sshSharingObstacle());
  }

  @Test
  void theRenameShellUsesTheSharedConnectionToo() {
    RsyncCommand c = command("backup@host.example:/srv/replica", null, STATE);
    List<String> shell = c.shell();
    assertTrue(shell.contains("ControlPath=" + c.sshSharing().socket()), shell::toString);
    assertEquals(
        List.of("backup@host.example", "/bin/sh -s"),
        shell.subList(shell.size() - 2, shell.size()));
  }

  @Test
  void closingAsksTheMasterToExit() {
    RsyncCommand c = command("backup@host.example:/srv/replica", "ssh -p 2222", STATE);
    List<String> close = c.closeSharedConnection();
    assertEquals(
        List.of(
            "ssh",
            "-p",
            "2222",
            "-o",
            "ControlPath=" + c.sshSharing().socket(),
            "-O",
            "exit",
            "backup@host.example"),
        close);
  }
}

package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact argument lists; ssh cannot be run in a test, so its command lines are checked here. */
class RsyncCommandTest {
  private static final Path SOURCE = Path.of("/srv/data");

  private static RsyncCommand command(
      String url, Path passwordFile, String ssh, List<String> excludes, boolean compress) {
    return new RsyncCommand(
        new RsyncSettings(
            "rsync",
            SOURCE,
            TargetUrl.parse(url),
            passwordFile,
            ssh,
            excludes,
            Duration.ofSeconds(300),
            Duration.ofMillis(1500),
            compress,
            List.of("--bwlimit=10m"),
            null));
  }

  @Test
  void aPlainSendOverSshUsesABatchModeSshWithAConnectTimeout() {
    RsyncCommand c = command("root@backup1:/srv/backup", null, null, List.of(), false);
    assertEquals(
        List.of(
            "rsync",
            "-a",
            "--dirs",
            "--ignore-times",
            "--relative",
            "--files-from=-",
            "--from0",
            "--ignore-missing-args",
            "--force",
            "-s",
            "--numeric-ids",
            "--modify-window=-1",
            "-e",
            "ssh -o BatchMode=yes -o ConnectTimeout=2",
            "--bwlimit=10m",
            "--out-format=%i %b %n%L",
            "/srv/data/",
            "root@backup1:/srv/backup/"),
        c.send(false));
  }

  @Test
  void aRecursiveSendOverSshDeletesInsideTheSubtreesAndCompressesWhenAsked() {
    RsyncCommand c =
        command(
            "backup1:/srv/backup",
            null,
            "ssh -i /etc/watchsync/id_ed25519 -p 2222",
            List.of("--exclude=*.swp", "--exclude=cache/"),
            true);
    assertEquals(
        List.of(
            "rsync",
            "-a",
            "-r",
            "--delete",
            "--relative",
            "--files-from=-",
            "--from0",
            "--ignore-missing-args",
            "--force",
            "-s",
            "--numeric-ids",
            "--modify-window=-1",
            "-e",
            "ssh -i /etc/watchsync/id_ed25519 -p 2222",
            "-z",
            "--exclude=*.swp",
            "--exclude=*.swp/**",
            "--exclude=cache/",
            "--exclude=cache/**",
            "--bwlimit=10m",
            "--out-format=%i %b %n%L",
            "/srv/data/",
            "backup1:/srv/backup/"),
        c.send(true));
  }

  @Test
  void aFullSyncOverSshMirrorsTheWholeTreeWithThePlainExcludes() {
    RsyncCommand c =
        command("root@backup1:/srv/backup", null, null, List.of("--exclude=cache/"), false);
    assertEquals(
        List.of(
            "rsync",
            "-a",
            "--delete",
            "--force",
            "-s",
            "--numeric-ids",
            "--modify-window=-1",
            "-e",
            "ssh -o BatchMode=yes -o ConnectTimeout=2",
            "--exclude=cache/",
            "--bwlimit=10m",
            "--out-format=%i %b %n%L",
            "/srv/data/",
            "root@backup1:/srv/backup/"),
        c.fullSync());
  }

  @Test
  void aProbeOverSshListsOnlyTheDestinationItself() {
    RsyncCommand c = command("root@backup1:/srv/backup", null, null, List.of(), false);
    assertEquals(
        List.of(
            "rsync",
            "--list-only",
            "--dirs",
            "--exclude=*",
            "-s",
            "--timeout=300",
            "-e",
            "ssh -o BatchMode=yes -o ConnectTimeout=2",
            "root@backup1:/srv/backup/"),
        c.probe());
  }

  /**
   * Under a floating address every daemon allows only that address: the generation check and the
   * probe, which took none of the extra options, came from the host's own address and were refused
   * ("Unknown module"), so the agent never replicated.
   */
  @Test
  void theGenerationCheckAndTheProbeConnectFromTheBoundAddress() {
    RsyncCommand c =
        new RsyncCommand(
            new RsyncSettings(
                "rsync",
                SOURCE,
                TargetUrl.parse("rsync://watchsync@10.0.0.2/export"),
                null,
                null,
                List.of(),
                Duration.ofSeconds(300),
                Duration.ofMillis(1500),
                false,
                List.of("--bwlimit=10m", "--address=10.0.0.100", "-4"),
                null));
    List<String> wanted = List.of("--address=10.0.0.100", "-4");
    for (List<String> cmd : List.of(c.fetchGeneration(Path.of("/tmp/g")), c.probe())) {
      assertTrue(cmd.containsAll(wanted), cmd::toString);
      assertTrue(!cmd.contains("--bwlimit=10m"), cmd::toString);
    }
  }

  @Test
  void aRenameOverSshRunsAShellOnTheTargetWithTheConfiguredSshWords() {
    assertEquals(
        List.of(
            "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=2", "root@backup1", "/bin/sh -s"),
        command("root@backup1:/srv/backup", null, null, List.of(), false).shell());
    assertEquals(
        List.of("ssh", "-i", "/keys/my key", "-p", "2222", "me@fe80::1", "/bin/sh -s"),
        command("me@[fe80::1]:/srv", null, "ssh -i '/keys/my key' -p 2222", List.of(), false)
            .shell());
  }

  @Test
  void aLocalRenameRunsTheLocalShell() {
    assertEquals(
        List.of("/bin/sh", "-s"), command("/mnt/backup", null, null, List.of(), false).shell());
  }

  @Test
  void aDaemonSendPassesThePasswordFileAndConnectTimeoutButNeverThePassword() {
    RsyncCommand c =
        command(
            "rsync://ws@nas:8730/replica/web1",
            Path.of("/etc/watchsync/nas.password"),
            null,
            List.of(),
            false);
    assertEquals(
        List.of(
            "rsync",
            "-a",
            "--dirs",
            "--ignore-times",
            "--relative",
            "--files-from=-",
            "--from0",
            "--ignore-missing-args",
            "--force",
            "-s",
            "--numeric-ids",
            "--modify-window=-1",
            "--sockopts=TCP_NODELAY",
            "--contimeout=2",
            "--password-file=/etc/watchsync/nas.password",
            "--bwlimit=10m",
            "--out-format=%i %b %n%L",
            "/srv/data/",
            "rsync://ws@nas:8730/replica/web1/"),
        c.send(false));
    assertThrows(IllegalStateException.class, c::shell);
  }

  @Test
  void aLocalFullSyncNeedsNoConnectionOptions() {
    assertEquals(
        List.of(
            "rsync",
            "-a",
            "--delete",
            "--force",
            "-s",
            "--numeric-ids",
            "--modify-window=-1",
            "--bwlimit=10m",
            "--out-format=%i %b %n%L",
            "/srv/data/",
            "/mnt/backup/"),
        command("/mnt/backup", null, null, List.of(), false).fullSync());
  }

  @Test
  void sshCommandWordsSplitLikeRsyncSplitsItsRemoteShell() {
    assertEquals(
        List.of("ssh", "-o", "ProxyJump=bastion host", "-l", "x"),
        RsyncCommand.splitShellWords("  ssh -o \"ProxyJump=bastion host\"  -l x "));
    assertThrows(IllegalArgumentException.class, () -> RsyncCommand.splitShellWords("ssh 'oops"));
  }

  @Test
  void aDeletionRunIncludesOnlyTheListedPathsAfterTheConfiguredExcludes() {
    RsyncCommand c = command("/srv/backup", null, null, List.of("--exclude=*.swp"), false);
    List<String> cmd = c.delete();
    int excludes = cmd.indexOf("--exclude=*.swp");
    int list = cmd.indexOf("--include-from=-");
    assertTrue(excludes > 0 && list > excludes, cmd.toString());
    assertEquals("--exclude=*", cmd.get(list + 1));
    assertTrue(cmd.containsAll(List.of("-a", "--delete", "--force", "--from0")), cmd.toString());
  }
}

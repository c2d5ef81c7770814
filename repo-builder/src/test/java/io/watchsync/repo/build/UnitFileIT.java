package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped unit, checked by systemd itself. */
class UnitFileIT {
  private static final Path UNIT = ProjectFiles.PACKAGING.resolve("watchsync.service");

  @Test
  void systemdAnalyzeVerifyAcceptsTheUnitWithoutAWarning(@TempDir Path root) throws Exception {
    assumeTrue(Command.available("systemd-analyze"), "systemd-analyze is not installed");
    Path hostUnits =
        Stream.of("/usr/lib/systemd/system", "/lib/systemd/system")
            .map(Path::of)
            .filter(dir -> Files.isRegularFile(dir.resolve("sysinit.target")))
            .findFirst()
            .orElse(null);
    assumeTrue(hostUnits != null, "no systemd targets on this machine to verify against");

    // An image of the installed system: the unit, its ExecStart (the real launcher) and the
    // standard targets it is ordered against.
    Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
    try (Stream<Path> targets = Files.list(hostUnits)) {
      for (Path target : (Iterable<Path>) targets::iterator) {
        if (target.getFileName().toString().endsWith(".target") && Files.isRegularFile(target)) {
          Files.copy(target, units.resolve(target.getFileName()));
        }
      }
    }
    Files.copy(UNIT, units.resolve("watchsync.service"));
    Path launcher = Files.createDirectories(root.resolve("usr/bin")).resolve("watchsync");
    Files.writeString(
        launcher,
        LauncherScript.render(
            ProjectFiles.PACKAGING.resolve("launcher.in"),
            "watchsync",
            "share/watchsync/watchsync.jar",
            "/etc/sysconfig/watchsync /etc/default/watchsync",
            "WATCHSYNC_JAVA_OPTS"));
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    // ExecReload runs /bin/kill, which every EL and Debian system has (merged /usr: /bin is a
    // link to usr/bin there).
    Path kill =
        Stream.of("/usr/bin/kill", "/bin/kill")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no kill program on this machine"));
    Files.copy(
        kill, root.resolve("usr/bin/kill"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));

    Command verify =
        Command.run(
            Duration.ofMinutes(1),
            "systemd-analyze",
            "verify",
            "--root=" + root,
            "watchsync.service");
    assertEquals(0, verify.exit(), verify.out() + verify.err());
    assertEquals("", verify.err().strip(), "systemd-analyze printed warnings");
  }

  @Test
  void unitRunsTheConfiguredAgentWithHardeningThatStillReadsTheTree() throws IOException {
    String unit = Files.readString(UNIT);
    for (String line :
        new String[] {
          "Type=exec",
          "ExecStart=/usr/bin/watchsync run --config /etc/watchsync/watchsync.yml",
          "Restart=on-failure",
          "RestartSec=5",
          "EnvironmentFile=-/etc/sysconfig/watchsync",
          "EnvironmentFile=-/etc/default/watchsync",
          "LimitNOFILE=65536",
          "ProtectSystem=strict",
          "ReadWritePaths=/var/lib/watchsync",
          "StateDirectory=watchsync",
          "ProtectHome=read-only",
          "PrivateTmp=yes",
          "NoNewPrivileges=yes",
          "WantedBy=multi-user.target"
        }) {
      assertTrue(unit.lines().anyMatch(line::equals), "missing: " + line);
    }
    assertTrue(unit.lines().noneMatch(l -> l.startsWith("User=")), "runs as root to read all");
  }
}

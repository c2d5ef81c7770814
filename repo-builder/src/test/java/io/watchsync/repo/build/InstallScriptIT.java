package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball's install.sh, run for real into a staging root (DESTDIR). */
class InstallScriptIT {
  @TempDir Path dir;
  Path tree;
  Path dest;

  /** Lays out the unpacked tarball as scripts/build-dist does. */
  @BeforeEach
  void unpackedTarball() throws IOException, PackagingException {
    tree = Files.createDirectories(dir.resolve("watchsync-1.0.0"));
    dest = Files.createDirectories(dir.resolve("dest/etc/sysconfig")).getParent().getParent();
    ProjectFiles.jar(tree.resolve("watchsync.jar"), "io.watchsync.agent.cli.WatchsyncCommand");
    Files.writeString(
        tree.resolve("watchsync"),
        LauncherScript.render(
            ProjectFiles.PACKAGING.resolve("launcher.in"),
            "watchsync",
            "share/watchsync/watchsync.jar",
            "/etc/sysconfig/watchsync /etc/default/watchsync",
            "WATCHSYNC_JAVA_OPTS"));
    for (String name :
        List.of(
            "watchsync.service",
            "watchsync.yml",
            "watchsync.sysconfig",
            "90-watchsync.conf",
            "watchsync.bash-completion",
            "install.sh")) {
      Files.copy(ProjectFiles.PACKAGING.resolve(name), tree.resolve(name));
    }
  }

  private Command install(String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("env", "DESTDIR=" + dest, "sh", tree.resolve("install.sh").toString()));
    command.addAll(List.of(args));
    return Command.run(Duration.ofMinutes(1), command);
  }

  private Path at(String path) {
    return dest.resolve(path.substring(1));
  }

  @Test
  void installsUnderUsrLocalAndPointsTheUnitAndLauncherThere() throws IOException {
    Command run = install();
    assertEquals(0, run.exit(), run.err());
    assertTrue(Files.isRegularFile(at("/usr/local/share/watchsync/watchsync.jar")));
    assertTrue(Files.isExecutable(at("/usr/local/bin/watchsync")));
    // The tarball's launcher as it is (the rpm's): it finds the jar under its own prefix.
    assertEquals(
        Files.readString(tree.resolve("watchsync")),
        Files.readString(at("/usr/local/bin/watchsync")));
    String unit = Files.readString(at("/etc/systemd/system/watchsync.service"));
    assertTrue(unit.contains("ExecStart=/usr/local/bin/watchsync run --config"), unit);
    assertTrue(Files.isRegularFile(at("/etc/sysctl.d/90-watchsync.conf")));
    assertTrue(Files.isRegularFile(at("/etc/watchsync/watchsync.yml")));
    assertTrue(Files.isRegularFile(at("/etc/sysconfig/watchsync")));
    assertEquals(0700, (int) Files.getAttribute(at("/var/lib/watchsync"), "unix:mode") & 07777);
  }

  @Test
  void reinstallKeepsTheEditedConfigurationAndUninstallLeavesIt() throws IOException {
    assertEquals(0, install().exit());
    Path config = at("/etc/watchsync/watchsync.yml");
    Files.writeString(config, "# mine\n");
    Files.writeString(tree.resolve("watchsync.yml"), "# shipped, changed\n");

    Command again = install();
    assertEquals(0, again.exit(), again.err());
    assertEquals("# mine\n", Files.readString(config));
    assertEquals("# shipped, changed\n", Files.readString(at("/etc/watchsync/watchsync.yml.new")));

    Command uninstall = install("--uninstall");
    assertEquals(0, uninstall.exit(), uninstall.err());
    assertFalse(Files.exists(at("/usr/local/bin/watchsync")));
    assertFalse(Files.exists(at("/usr/local/share/watchsync")));
    assertFalse(Files.exists(at("/etc/systemd/system/watchsync.service")));
    assertEquals("# mine\n", Files.readString(config));
  }

  @Test
  void installsTheBashCompletionWhereBashCompletionLooksAndUninstallRemovesIt() throws IOException {
    Path completions = Files.createDirectories(at("/usr/share/bash-completion/completions"));
    assertEquals(0, install().exit());
    Path script = completions.resolve("watchsync");
    assertEquals(
        Files.readString(ProjectFiles.PACKAGING.resolve("watchsync.bash-completion")),
        Files.readString(script));
    assertEquals(0644, (int) Files.getAttribute(script, "unix:mode") & 07777);

    assertEquals(0, install("--uninstall").exit());
    assertFalse(Files.exists(script));
    assertTrue(Files.isDirectory(completions), "the directory belongs to bash-completion");
  }

  @Test
  void withoutBashCompletionTheScriptIsNotInstalledAnywhere() throws IOException {
    Command run = install();
    assertEquals(0, run.exit(), run.err());
    assertFalse(Files.exists(at("/usr/share/bash-completion")));
  }
}

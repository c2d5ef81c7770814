package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs, upgrades and erases the watchsync RPM for real with dnf in an empty installroot, its
 * dependencies satisfied by {@link StandInPackages}. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnfInstallIT {
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static final String EDIT = "# edited by the administrator\n";

  @TempDir static Path work;
  static Path root;
  static Path firstRepo;
  static Path nextRepo;

  @BeforeAll
  static void buildRepositories() throws Exception {
    assumeTrue(Command.available("dnf"), "dnf is not installed (scripts/install-deps installs it)");
    assumeTrue(
        "0".equals(Command.run(DEADLINE, "id", "-u").out().strip()),
        "installing into a root needs root (rpm chroots to run the scriptlets)");
    root = work.resolve("root");
    Files.createDirectories(root);

    firstRepo = work.resolve("repo-1.0.0");
    StandInPackages.build(work.resolve("standins"), firstRepo);
    new ProjectPackages().build(ProjectFiles.inputs(work.resolve("in"), "1.0.0", "1"), firstRepo);
    createrepo(firstRepo);

    // The next version ships a changed example configuration, so rpm must choose for the edit.
    Path packaging = work.resolve("packaging-1.0.1");
    copyTree(ProjectFiles.PACKAGING, packaging);
    Files.writeString(
        packaging.resolve("watchsync.yml"),
        "# new setting in 1.0.1\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    nextRepo = work.resolve("repo-1.0.1");
    new ProjectPackages()
        .build(ProjectFiles.inputs(work.resolve("in"), packaging, "1.0.1", "1"), nextRepo);
    createrepo(nextRepo);
  }

  /** The repository is indexed by repo-builder itself, as scripts/build-dist does. */
  private static void createrepo(Path repo) {
    java.io.StringWriter err = new java.io.StringWriter();
    int exit =
        io.watchsync.repo.cli.RepoBuilderCommand.run(
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(err, true),
            "index",
            "--quiet",
            repo.toString());
    assertEquals(0, exit, "repo-builder index " + repo + ": " + err);
  }

  private static Command dnf(Path repo, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "dnf",
                "--installroot=" + root,
                "--releasever=9",
                "--setopt=reposdir=/dev/null",
                "--setopt=install_weak_deps=False",
                "--setopt=cachedir=" + work.resolve("dnf-cache"),
                "--noplugins",
                "--nogpgcheck",
                "-y"));
    if (repo != null) {
      command.add("--repofrompath=local-" + repo.getFileName() + ",file://" + repo);
      command.add("--repo=local-" + repo.getFileName());
    } else {
      command.add("--disablerepo=*");
    }
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command).ok(String.join(" ", command));
  }

  private static String rpmQuery(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("rpm", "--root=" + root));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command).ok(String.join(" ", command)).out().strip();
  }

  private static Path inRoot(String path) {
    return root.resolve(path.substring(1));
  }

  private static String systemctlCalls() throws IOException {
    Path log = inRoot(StandInPackages.SYSTEMCTL_LOG);
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  @Order(1)
  void installPutsEveryFileInPlaceWithItsModeAndOwnerAndOnlyPresetsTheUnit() throws IOException {
    dnf(firstRepo, "install", "watchsync");

    assertEquals("watchsync-1.0.0-1.noarch", rpmQuery("-q", "watchsync"));
    assertEquals(
        "java-17-openjdk-headless-17.0.13.0.11-1.standin.noarch",
        rpmQuery("-q", "java-17-openjdk-headless"),
        "the rich Java dependency resolved to a java-17 runtime");
    assertEquals("rsync-3.2.3-1.standin.noarch", rpmQuery("-q", "rsync"));

    Map<String, Integer> modes =
        Map.ofEntries(
            Map.entry("/usr/share/watchsync/watchsync.jar", 0644),
            Map.entry("/usr/bin/watchsync", 0755),
            Map.entry("/usr/lib/systemd/system/watchsync.service", 0644),
            Map.entry("/etc/watchsync", 0755),
            Map.entry("/etc/watchsync/watchsync.yml", 0644),
            Map.entry("/etc/sysconfig/watchsync", 0644),
            Map.entry("/var/lib/watchsync", 0700),
            Map.entry("/usr/lib/sysctl.d/90-watchsync.conf", 0644),
            Map.entry("/usr/share/bash-completion/completions/watchsync", 0644),
            Map.entry("/usr/share/doc/watchsync/README.md", 0644),
            Map.entry("/usr/share/licenses/watchsync/LICENSE", 0644));
    for (Map.Entry<String, Integer> expected : modes.entrySet()) {
      Path path = inRoot(expected.getKey());
      assertTrue(Files.exists(path, LinkOption.NOFOLLOW_LINKS), expected.getKey() + " missing");
      int mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      assertEquals(
          Integer.toOctalString(expected.getValue()),
          Integer.toOctalString(mode),
          "mode of " + expected.getKey());
      assertEquals(0, Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
      assertEquals(0, Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }
    assertTrue(
        Files.readString(inRoot("/usr/lib/sysctl.d/90-watchsync.conf"))
            .contains("fs.inotify.max_user_watches"));
    assertEquals("", rpmQuery("-V", "watchsync"), "rpm -V finds everything as packaged");
    assertEquals("--no-reload preset watchsync.service\n", systemctlCalls());
  }

  @Test
  @Order(2)
  void upgradeKeepsTheEditedConfigurationWritesRpmnewAndRestartsTheService() throws IOException {
    Path config = inRoot("/etc/watchsync/watchsync.yml");
    String packaged = Files.readString(config);
    Files.writeString(config, packaged + EDIT, StandardCharsets.UTF_8);
    Files.delete(inRoot(StandInPackages.SYSTEMCTL_LOG));

    dnf(nextRepo, "upgrade", "watchsync");

    assertEquals("watchsync-1.0.1-1.noarch", rpmQuery("-q", "watchsync"));
    assertEquals(packaged + EDIT, Files.readString(config), "the administrator's edit is kept");
    Path rpmnew = inRoot("/etc/watchsync/watchsync.yml.rpmnew");
    assertTrue(Files.exists(rpmnew), "the new example is written next to it");
    assertTrue(Files.readString(rpmnew).contains("new setting in 1.0.1"));
    String calls = systemctlCalls();
    assertTrue(calls.contains("daemon-reload\n"), calls);
    assertTrue(calls.contains("try-restart watchsync.service\n"), calls);
    assertFalse(calls.contains("disable"), "an upgrade must not disable the service: " + calls);
    assertFalse(calls.contains("preset"), "an upgrade must not re-apply the preset: " + calls);
  }

  @Test
  @Order(3)
  void eraseRemovesTheFilesKeepsTheEditedConfigurationAsRpmsaveAndStopsTheService()
      throws IOException {
    Files.delete(inRoot(StandInPackages.SYSTEMCTL_LOG));

    dnf(null, "remove", "watchsync");

    Command query = Command.run(DEADLINE, "rpm", "--root=" + root, "-q", "watchsync");
    assertEquals(1, query.exit(), query.out());
    for (String gone :
        List.of(
            "/usr/share/watchsync",
            "/usr/bin/watchsync",
            "/usr/lib/systemd/system/watchsync.service",
            "/etc/watchsync/watchsync.yml",
            "/usr/lib/sysctl.d/90-watchsync.conf",
            "/usr/share/bash-completion/completions/watchsync",
            "/var/lib/watchsync",
            "/usr/share/doc/watchsync")) {
      assertFalse(Files.exists(inRoot(gone), LinkOption.NOFOLLOW_LINKS), gone + " left behind");
    }
    Path rpmsave = inRoot("/etc/watchsync/watchsync.yml.rpmsave");
    assertTrue(Files.exists(rpmsave), "the edited configuration is kept as .rpmsave");
    assertTrue(Files.readString(rpmsave).endsWith(EDIT));
    String calls = systemctlCalls();
    assertTrue(calls.contains("--no-reload disable --now watchsync.service\n"), calls);
    assertTrue(calls.contains("daemon-reload\n"), calls);
    assertFalse(calls.contains("try-restart"), "nothing to restart after an erase: " + calls);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}

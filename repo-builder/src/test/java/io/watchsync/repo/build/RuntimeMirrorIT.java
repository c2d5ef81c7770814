package io.watchsync.repo.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The air-gapped product path: watchsync's own RPMs plus their runtime closure mirrored from an
 * upstream (served over HTTP) into one repository, from which dnf installs watchsync into an empty
 * root with no other repository, as scripts/build-dist --runtime-from does.
 */
class RuntimeMirrorIT {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path work;

  @Test
  void watchsyncInstallsFromItsMirroredRuntimeClosureAlone() throws Exception {
    assumeTrue(Command.available("dnf"), "dnf is not installed (scripts/install-deps installs it)");
    assumeTrue(
        "0".equals(Command.run(DEADLINE, "id", "-u").out().strip()),
        "installing into a root needs root (rpm chroots to run the scriptlets)");
    Path upstream = work.resolve("upstream");
    StandInPackages.build(work.resolve("standins"), upstream);
    assertEquals(0, RepoBuilder.run("index", upstream.toString()).exit());
    Path self = work.resolve("self");
    new ProjectPackages().build(ProjectFiles.inputs(work.resolve("in"), "1.0.0", "1"), self);
    assertEquals(0, RepoBuilder.run("index", self.toString()).exit());
    Path mirror = work.resolve("mirror");

    try (UpstreamServer server = new UpstreamServer()) {
      RepoBuilder run =
          RepoBuilder.run(
              "mirror",
              "--to=" + mirror,
              "--repo=self=" + self.toUri(),
              "--repo=up=" + server.mount("up", upstream),
              "--arch=x86_64",
              "watchsync",
              "watchsync-repo-builder");
      assertEquals(0, run.exit(), run.toString());
    }

    Path root = Files.createDirectories(work.resolve("root"));
    Command.run(
            DEADLINE,
            List.of(
                "dnf",
                "--installroot=" + root,
                "--releasever=9",
                "--setopt=reposdir=/dev/null",
                "--setopt=cachedir=" + work.resolve("dnf-cache"),
                "--noplugins",
                "--nogpgcheck",
                "-y",
                "--repofrompath=mirror," + mirror.toUri(),
                "--repo=mirror",
                "install",
                "watchsync"))
        .ok("dnf install watchsync from the mirror alone");
    assertEquals(
        "watchsync-1.0.0-1.noarch\nrsync-3.2.3-1.standin.noarch",
        Command.run(DEADLINE, "rpm", "--root=" + root, "-q", "watchsync", "rsync")
            .ok("rpm -q")
            .out()
            .strip());
  }
}

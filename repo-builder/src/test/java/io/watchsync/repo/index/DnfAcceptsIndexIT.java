package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * dnf itself lists, resolves and installs from a repository repo-builder indexed, with each
 * compression, into a temporary installroot.
 */
class DnfAcceptsIndexIT {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @TempDir Path work;

  @BeforeAll
  static void tools() throws IOException {
    assumeTrue(Command.available("dnf"), "dnf is not installed (scripts/install-deps installs it)");
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(
        "0".equals(Command.run(DEADLINE, "id", "-u").out().strip()),
        "installing into a root needs root");
  }

  private Command dnf(Path repo, boolean weakDeps, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "dnf",
                "--installroot=" + work.resolve("root"),
                "--releasever=9",
                "--setopt=reposdir=/dev/null",
                "--setopt=install_weak_deps=" + (weakDeps ? "True" : "False"),
                "--setopt=cachedir=" + work.resolve("cache"),
                "--noplugins",
                "--nogpgcheck",
                "-y",
                "--repofrompath=local,file://" + repo,
                "--repo=local"));
    command.addAll(List.of(args));
    return Command.run(DEADLINE, command).ok(String.join(" ", command));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gz", "xz", "zstd"})
  void dnfListsResolvesAndInstallsFromTheIndex(String compression) throws Exception {
    Path repo = work.resolve("repo");
    FixtureRpms.copyInto(repo);
    RepoBuilder run = RepoBuilder.run("index", "--compress", compression, repo.toString());
    assertEquals(0, run.exit(), run.toString());

    String available = dnf(repo, false, "list", "--available").out();
    for (String nevra : List.of("alpha.x86_64", "beta.noarch", "gamma.noarch", "delta.noarch")) {
      assertTrue(available.contains(nevra), nevra + " not listed:\n" + available);
    }
    assertTrue(available.contains("2:1.2-3.el9"), "alpha's epoch:\n" + available);

    String requires = dnf(repo, false, "repoquery", "--requires", "beta").out();
    assertTrue(requires.contains("alpha >= 2:1.2"), requires);
    String whatProvides = dnf(repo, false, "repoquery", "--whatprovides", "/usr/bin/gamma").out();
    assertTrue(whatProvides.contains("gamma-0:3.0-1.noarch"), whatProvides);

    dnf(repo, true, "install", "delta");

    String installed =
        Command.run(DEADLINE, "rpm", "--root=" + work.resolve("root"), "-qa", "--qf", "%{NAME}\n")
            .ok("rpm -qa")
            .out();
    assertTrue(installed.lines().toList().contains("delta"), installed);
    assertTrue(
        installed.lines().toList().contains("gamma"),
        "delta's Recommends: gamma was resolved from the index:\n" + installed);
    assertTrue(Files.isRegularFile(work.resolve("root/etc/delta.d/one.conf")));
    assertTrue(Files.isRegularFile(work.resolve("root/usr/bin/gamma")));
  }
}

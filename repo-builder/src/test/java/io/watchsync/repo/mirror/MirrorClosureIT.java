package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@code mirror} takes from an upstream served over real HTTP, checked against {@code dnf
 * download --resolve --alldeps} on the same server and by installing from the mirror alone.
 */
class MirrorClosureIT {
  private static UpstreamServer server;
  private static String upstream;

  @TempDir Path work;

  @BeforeAll
  static void serve() throws Exception {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
    server = new UpstreamServer();
    upstream = server.mount("up", UpstreamFixture.repository()).toString();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * Arguments whose closure must hold what dnf download takes: a default module stream, a weak
   * dependency, both arches of a name, an obsoleted package (the mirror adds what obsoletes it, as
   * dnf install would take that), every provider of a capability, a file, a glob.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"stackpkg", "plugin", "native", "oldtool", "virtual-cap", "/usr/bin/tool", "lib*"})
  void closureMatchesDnfDownload(String arg) throws Exception {
    assumeDnfDownload();
    Path mirror = work.resolve("mirror");
    RepoBuilder run = RepoBuilder.run("mirror", "--to=" + mirror, "--repo=up=" + upstream, arg);
    assertEquals(0, run.exit(), run.toString());
    Set<String> dnfTook = dnfDownload(arg);
    Set<String> mirrored = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    assertTrue(
        mirrored.containsAll(dnfTook), "dnf took " + dnfTook + ", the mirror has " + mirrored);
  }

  private static void assumeDnfDownload() throws Exception {
    assumeTrue(Command.available("dnf"), "dnf is not installed");
    assumeTrue(
        Command.run(MirrorTestSupport.DEADLINE, "dnf", "download", "--help").exit() == 0,
        "dnf download is missing (dnf-plugins-core; scripts/install-deps installs it)");
  }

  /** The file names dnf download --resolve --alldeps takes for {@code arg}. */
  private Set<String> dnfDownload(String arg) throws Exception {
    Path dest = work.resolve("dnf-download");
    MirrorTestSupport.dnf(
            Files.createDirectories(work.resolve("download-root")),
            upstream,
            "download",
            "--resolve",
            "--alldeps",
            "--destdir=" + dest,
            arg)
        .ok("dnf download " + arg);
    return MirrorTestSupport.rpms(dest);
  }

  @Test
  void closureHoldsWhatDnfDownloadTakesAndInstallsFromTheMirrorAlone() throws Exception {
    Path mirror = work.resolve("mirror");
    RepoBuilder run =
        RepoBuilder.run("mirror", "--to", mirror.toString(), "--repo", "up=" + upstream, "app");
    assertEquals(0, run.exit(), run.toString());
    Set<String> mirrored = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "app-2.0-1.noarch.rpm",
                "aaa-provider-1.0-1.noarch.rpm",
                "libfoo-2.0-1.noarch.rpm",
                "datapkg-1.0-1.noarch.rpm",
                "tool-1.0-1.noarch.rpm",
                "impl-1.0-1.noarch.rpm",
                "web-a-1.0-1.noarch.rpm",
                "newtool-2.0-1.noarch.rpm",
                "native-1.0-1.x86_64.rpm",
                "cond-x-1.0-1.noarch.rpm",
                "extra-1.0-1.noarch.rpm",
                "plugin-1.0-1.noarch.rpm")),
        mirrored,
        "newest versions, the file dependency from filelists, one provider each, the best arch,"
            + " the obsoleting package, the conditional and both weak dependencies");

    assumeTrue(Command.available("dnf"), "dnf is not installed");
    assumeTrue(
        Command.run(MirrorTestSupport.DEADLINE, "dnf", "download", "--help").exit() == 0,
        "dnf download is missing (dnf-plugins-core; scripts/install-deps installs it)");
    Path dest = work.resolve("dnf-download");
    Command download =
        MirrorTestSupport.dnf(
            Files.createDirectories(work.resolve("download-root")),
            upstream,
            "download",
            "--resolve",
            "--alldeps",
            "--destdir=" + dest,
            "app");
    download.ok("dnf download");
    Set<String> dnfTook = MirrorTestSupport.rpms(dest);
    Set<String> missing = new TreeSet<>(dnfTook);
    missing.removeAll(mirrored);
    assertTrue(
        missing.isEmpty(),
        "dnf download took " + missing + " that the mirror lacks; mirror: " + mirrored);
    System.err.println("dnf download took " + dnfTook);

    Path root = Files.createDirectories(work.resolve("install-root"));
    MirrorTestSupport.dnf(root, mirror.toUri().toString(), "install", "app").ok("dnf install");
    Command query =
        Command.run(
            MirrorTestSupport.DEADLINE, "rpm", "--root=" + root, "-q", "app", "newtool", "native");
    assertEquals(
        "app-2.0-1.noarch\nnewtool-2.0-1.noarch\nnative-1.0-1.x86_64",
        query.ok("rpm -q").out().strip());
  }
}

package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which packages a mirror takes for each kind of argument and option, and what it carries over. */
class MirrorSelectionIT {
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

  private RepoBuilder mirror(Path to, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "mirror";
    all[1] = "--to=" + to;
    all[2] = "--repo=up=" + upstream;
    all[3] = "--arch=x86_64";
    System.arraycopy(args, 0, all, 4, args.length);
    return RepoBuilder.run(all);
  }

  @Test
  void unsatisfiableRequirementIsNamedAndTheRestIsStillMirrored() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "broken", "tool");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(
        run.err().contains("broken-1.0-1.noarch requires does-not-exist: nothing provides it"),
        run.err());
    assertEquals(
        Set.of("broken-1.0-1.noarch.rpm", "tool-1.0-1.noarch.rpm"),
        MirrorTestSupport.rpms(mirror.resolve("Packages")));
    assertTrue(Files.exists(mirror.resolve("repodata/repomd.xml")), "indexed all the same");
  }

  @Test
  void argumentMatchingNothingFailsNamingIt() {
    RepoBuilder run = mirror(work.resolve("m"), "no-such-package");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains("no package matches no-such-package"), run.err());
  }

  @Test
  void noWeakDepsLeavesRecommendedAndSupplementingPackagesOut() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--no-weak-deps", "app");
    assertEquals(0, run.exit(), run.toString());
    Set<String> rpms = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    assertFalse(rpms.contains("extra-1.0-1.noarch.rpm"), rpms.toString());
    assertFalse(rpms.contains("plugin-1.0-1.noarch.rpm"), rpms.toString());
    assertTrue(rpms.contains("app-2.0-1.noarch.rpm"), rpms.toString());
  }

  @Test
  void allProvidersTakesEveryProviderOfACapability() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--all-providers", "--no-weak-deps", "app");
    assertEquals(0, run.exit(), run.toString());
    Set<String> rpms = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    for (String rpm :
        Set.of(
            "impl-1.0-1.noarch.rpm",
            "implementation-1.0-1.noarch.rpm",
            "web-a-1.0-1.noarch.rpm",
            "web-b-1.0-1.noarch.rpm",
            "oldtool-1.0-1.noarch.rpm",
            "newtool-2.0-1.noarch.rpm")) {
      assertTrue(rpms.contains(rpm), rpm + " missing from " + rpms);
    }
  }

  @Test
  void globsFilePathsEveryProviderOfACapabilityAndKeepSelectVersions() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run =
        mirror(mirror, "--no-weak-deps", "--keep=2", "lib*", "/usr/bin/tool", "virtual-cap");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of(
            "libfoo-1.0-1.noarch.rpm",
            "libfoo-2.0-1.noarch.rpm",
            "tool-1.0-1.noarch.rpm",
            "impl-1.0-1.noarch.rpm",
            "implementation-1.0-1.noarch.rpm"),
        MirrorTestSupport.rpms(mirror.resolve("Packages")));
  }

  @Test
  void aVersionConditionTakesTheNewestVersionThatMeetsIt() throws Exception {
    Path older = work.resolve("older");
    RepoBuilder run = mirror(older, "--no-weak-deps", "libfoo < 2.0");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("libfoo-1.0-1.noarch.rpm"), MirrorTestSupport.rpms(older.resolve("Packages")));

    Path newer = work.resolve("newer");
    run = mirror(newer, "--no-weak-deps", "libfoo>=1.0");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("libfoo-2.0-1.noarch.rpm"), MirrorTestSupport.rpms(newer.resolve("Packages")));

    run = mirror(work.resolve("none"), "--no-weak-deps", "libfoo > 2.0");
    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains("no package matches libfoo > 2.0"), run.err());
  }

  @Test
  void aNameWithVersionReleaseOrArchSelectsExactlyThatPackage() throws Exception {
    Path both = work.resolve("both");
    RepoBuilder run = mirror(both, "--no-weak-deps", "libfoo-1.0", "libfoo-2.0-1.noarch");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("libfoo-1.0-1.noarch.rpm", "libfoo-2.0-1.noarch.rpm"),
        MirrorTestSupport.rpms(both.resolve("Packages")));

    Path one = work.resolve("one");
    run = mirror(one, "--no-weak-deps", "libfoo-0:1.0-1");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("libfoo-1.0-1.noarch.rpm"), MirrorTestSupport.rpms(one.resolve("Packages")));
  }

  @Test
  void nameDotArchSelectsTheSecondArch() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "native.i686");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("native-1.0-1.i686.rpm"), MirrorTestSupport.rpms(mirror.resolve("Packages")));
  }

  @Test
  void defaultModuleStreamIsTakenAndModulesAndGroupsReachDnf() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--no-weak-deps", "stackpkg", "@" + UpstreamFixture.GROUP);
    assertEquals(0, run.exit(), run.toString());
    Set<String> rpms = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    assertTrue(rpms.contains("stackpkg-1.0-1.noarch.rpm"), rpms.toString());
    assertFalse(rpms.contains("stackpkg-2.0-1.noarch.rpm"), "stream 2 is not the default");
    assertTrue(rpms.contains("app-2.0-1.noarch.rpm"), "the group's mandatory package");
    assertTrue(rpms.contains("tool-1.0-1.noarch.rpm"), "the group's default package");
    assertFalse(rpms.contains("unused-1.0-1.noarch.rpm"), "the group's optional package");

    assumeTrue(Command.available("dnf"), "dnf is not installed");
    Path root = Files.createDirectories(work.resolve("root"));
    String url = mirror.toUri().toString();
    String modules = MirrorTestSupport.dnf(root, url, "module", "list").ok("dnf module list").out();
    assertTrue(modules.matches("(?s).*stack\\s+1 \\[d\\].*"), modules);
    assertTrue(modules.matches("(?s).*stack\\s+2\\s.*"), modules);
    String group =
        MirrorTestSupport.dnf(root, url, "group", "info", UpstreamFixture.GROUP)
            .ok("dnf group info")
            .out();
    assertTrue(group.contains("Core Tools") && group.contains("app"), group);
    MirrorTestSupport.dnf(root, url, "install", "stackpkg").ok("dnf install stackpkg");
    assertEquals(
        "stackpkg-1.0-1.noarch",
        Command.run(MirrorTestSupport.DEADLINE, "rpm", "--root=" + root, "-q", "stackpkg")
            .ok("rpm -q")
            .out()
            .strip());
  }

  @Test
  void anEnvironmentTakesItsGroupsButNotItsOptionalOnes() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--no-weak-deps", "@^tooling");
    assertEquals(0, run.exit(), run.toString());
    Set<String> rpms = MirrorTestSupport.rpms(mirror.resolve("Packages"));
    assertTrue(rpms.contains("app-2.0-1.noarch.rpm"), "core-tools' mandatory package: " + rpms);
    assertTrue(rpms.contains("tool-1.0-1.noarch.rpm"), "core-tools' default package: " + rpms);
    assertFalse(rpms.contains("unused-1.0-1.noarch.rpm"), "an optional package: " + rpms);
    assertFalse(rpms.contains("extra-1.0-1.noarch.rpm"), "the optional group: " + rpms);

    RepoBuilder byName = mirror(work.resolve("n"), "--no-weak-deps", "@^Tooling Environment");
    assertEquals(0, byName.exit(), byName.toString());
    RepoBuilder unknown = mirror(work.resolve("u"), "@^no-such-environment");
    assertEquals(1, unknown.exit(), unknown.toString());
    assertTrue(unknown.err().contains("no package matches @^no-such-environment"), unknown.err());
  }

  @Test
  void moduleOptionTakesTheNamedStream() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--module=stack:2", "stackpkg");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        Set.of("stackpkg-2.0-1.noarch.rpm"), MirrorTestSupport.rpms(mirror.resolve("Packages")));
  }

  @Test
  void noUpstreamIsAUsageError() {
    RepoBuilder run = RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "app");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("no upstream repository"), run.err());
  }
}

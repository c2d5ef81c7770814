package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mirror run against a server that misbehaves: what survives, what is refused, what resumes. */
class MirrorFaultsIT {
  private static final String APP = "app-2.0-1.noarch.rpm";
  private static final String TOOL = "tool-1.0-1.noarch.rpm";

  @TempDir Path work;
  private UpstreamServer server;
  private String upstream;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
  }

  @BeforeEach
  void serve() throws Exception {
    server = new UpstreamServer();
    upstream = server.mount("up", UpstreamFixture.repository()).toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RepoBuilder mirror(Path to, String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "mirror";
    all[1] = "--to=" + to;
    all[2] = "--repo=up=" + upstream;
    all[3] = "--arch=x86_64";
    all[4] = "--retries=3";
    System.arraycopy(args, 0, all, 5, args.length);
    return RepoBuilder.run(all);
  }

  @Test
  void connectionsDroppedMidFileAreResumedWithRange() throws Exception {
    server.dropMidFile(APP, 2);
    Path mirror = work.resolve("m");

    RepoBuilder run = mirror(mirror, "--no-weak-deps", "app");

    assertEquals(0, run.exit(), run.toString());
    assertTrue(MirrorTestSupport.rpms(mirror.resolve("Packages")).contains(APP));
    assertTrue(
        server.log().stream().anyMatch(r -> r.path().endsWith(APP) && r.rangeStart() > 0),
        "resumed with a Range request: " + server.log());
    assertFalse(Files.exists(mirror.resolve("Packages/." + APP + ".part")));
  }

  @Test
  void fileThatKeepsArrivingWrongIsRefusedNamedAndNeverPlaced() throws Exception {
    server.corrupt(TOOL, Integer.MAX_VALUE);
    Path mirror = work.resolve("m");

    RepoBuilder run = mirror(mirror, "--no-weak-deps", "tool", "libfoo");

    assertEquals(1, run.exit(), run.toString());
    assertTrue(run.err().contains(TOOL) && run.err().contains("refused"), run.err());
    assertEquals(
        Set.of("libfoo-2.0-1.noarch.rpm"), MirrorTestSupport.rpms(mirror.resolve("Packages")));
    assertFalse(Files.exists(mirror.resolve("Packages/." + TOOL + ".part")));
  }

  @Test
  void fileThatArrivesWrongOnceIsFetchedAgain() throws Exception {
    server.corrupt(TOOL, 1);
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "tool");
    assertEquals(0, run.exit(), run.toString());
    assertTrue(MirrorTestSupport.rpms(mirror.resolve("Packages")).contains(TOOL));
  }

  @Test
  void repofileBaseurlsAreTriedInTurnWithVariablesSubstituted() throws Exception {
    server.mount("up-x86_64", UpstreamFixture.repository());
    Path lists = Files.createDirectories(work.resolve("lists"));
    Files.writeString(
        lists.resolve("mirrors.txt"),
        "# mirrors\n" + server.url("gone") + "\n" + server.url("up") + "\n",
        StandardCharsets.UTF_8);
    URI listUrl = server.mount("lists", lists).resolve("mirrors.txt");
    Path repofile = work.resolve("upstream.repo");
    Files.writeString(
        repofile,
        String.join(
            "\n",
            "[main]",
            "gpgcheck=1",
            "",
            "[first]",
            "name=First $releasever",
            "baseurl=" + server.url("missing") + "$releasever/",
            "        " + server.url("up-$basearch"),
            "enabled=1",
            "",
            "[listed]",
            "mirrorlist=" + listUrl,
            "",
            "[off]",
            "baseurl=" + server.url("nowhere"),
            "enabled=0",
            ""),
        StandardCharsets.UTF_8);
    Path mirror = work.resolve("m");

    RepoBuilder run =
        RepoBuilder.run(
            "mirror",
            "--to=" + mirror,
            "--repofile=" + repofile,
            "--releasever=9",
            "--arch=x86_64",
            "--retries=2",
            "tool");

    assertEquals(0, run.exit(), run.toString());
    assertTrue(MirrorTestSupport.rpms(mirror.resolve("Packages")).contains(TOOL));
    assertTrue(
        server.log().stream().anyMatch(r -> r.path().startsWith("/missing/9/")),
        "the first baseurl was tried: " + server.log());
    assertTrue(server.log().stream().anyMatch(r -> r.path().startsWith("/gone/")));
    assertFalse(server.log().stream().anyMatch(r -> r.path().startsWith("/nowhere/")));
  }

  @Test
  void repofileNeedingReleaseverWithoutItIsAUsageError() throws Exception {
    Path repofile = work.resolve("r.repo");
    Files.writeString(repofile, "[r]\nbaseurl=" + server.url("x") + "$releasever/\n");
    RepoBuilder run =
        RepoBuilder.run("mirror", "--to=" + work.resolve("m"), "--repofile=" + repofile, "tool");
    assertEquals(2, run.exit(), run.toString());
    assertTrue(run.err().contains("--releasever"), run.err());
  }

  @Test
  void slowServerStillCompletes() throws Exception {
    server.latency(150);
    server.throttle(64 * 1024);
    Path mirror = work.resolve("m");
    RepoBuilder run = mirror(mirror, "--jobs=4", "app");
    assertEquals(0, run.exit(), run.toString());
    assertEquals(
        MirrorTestSupport.APP_CLOSURE, MirrorTestSupport.rpms(mirror.resolve("Packages")).size());
  }
}

package io.watchsync.repo.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.files.Digests;
import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.UpstreamFixture;
import io.watchsync.repo.testing.UpstreamServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running mirror again: nothing twice, changed files again, --delete, after kill -9 and a full
 * disk.
 */
class MirrorRerunIT {
  private static final String TOOL = "tool-1.0-1.noarch.rpm";

  @TempDir Path work;
  private UpstreamServer server;
  private Path upstreamDir;
  private String upstream;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
    assumeTrue(Command.available("createrepo_c"), "createrepo_c is not installed");
  }

  @BeforeEach
  void serve() throws Exception {
    server = new UpstreamServer();
    upstreamDir = UpstreamFixture.copy(work.resolve("upstream"));
    upstream = server.mount("up", upstreamDir).toString();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private List<String> args(Path to, String... more) {
    List<String> all =
        new ArrayList<>(List.of("mirror", "--to=" + to, "--repo=up=" + upstream, "--arch=x86_64"));
    all.addAll(List.of(more));
    return all;
  }

  private RepoBuilder mirror(Path to, String... more) {
    return RepoBuilder.run(args(to, more).toArray(String[]::new));
  }

  private long packageRequests() {
    return server.log().stream().filter(r -> r.path().endsWith(".rpm")).count();
  }

  @Test
  void secondRunDownloadsNothingAndAChangedUpstreamFileIsFetchedAgain() throws Exception {
    Path mirror = work.resolve("m");
    RepoBuilder first = mirror(mirror, "app");
    assertEquals(0, first.exit(), first.toString());
    assertTrue(first.out().contains(MirrorTestSupport.APP_CLOSURE + " downloaded"), first.out());

    server.clearLog();
    byte[] repomd = Files.readAllBytes(mirror.resolve("repodata/repomd.xml"));
    RepoBuilder second = mirror(mirror, "app");
    assertEquals(0, second.exit(), second.toString());
    assertTrue(second.out().contains("0 downloaded"), second.out());
    assertEquals(0, packageRequests(), "no package fetched: " + server.log());
    assertEquals(
        new String(repomd),
        Files.readString(mirror.resolve("repodata/repomd.xml")),
        "nothing changed, so the published index is left as it was");

    // Republished under the same file name with other bytes: the upstream checksum changed.
    Files.copy(
        UpstreamFixture.rebuiltTool(),
        upstreamDir.resolve("Packages").resolve(TOOL),
        StandardCopyOption.REPLACE_EXISTING);
    UpstreamFixture.reindex(upstreamDir);
    RepoBuilder third = mirror(mirror, "app");
    assertEquals(0, third.exit(), third.toString());
    assertTrue(third.out().contains("1 downloaded"), third.out());
    // The new file went beside the old one, which stayed until the new index was in place.
    String checksum = sha256(UpstreamFixture.rebuiltTool());
    Path republished = mirror.resolve("Packages").resolve(checksum.substring(0, 16)).resolve(TOOL);
    assertEquals(checksum, sha256(republished));
    assertFalse(Files.exists(mirror.resolve("Packages").resolve(TOOL)), "the old one is gone");

    RepoBuilder fourth = mirror(mirror, "app");
    assertTrue(fourth.out().contains("0 downloaded"), fourth.out());
    assumeTrue(Command.available("dnf"), "dnf is not installed");
    Path root = Files.createDirectories(work.resolve("root"));
    MirrorTestSupport.dnf(root, mirror.toUri().toString(), "install", "tool").ok("dnf install");
  }

  @Test
  void deleteRemovesWhatIsNoLongerWantedAndTheIndexNoLongerListsIt() throws Exception {
    Path mirror = work.resolve("m");
    assertEquals(0, mirror(mirror, "--no-weak-deps", "app").exit());

    RepoBuilder run = mirror(mirror, "--delete", "tool");

    assertEquals(0, run.exit(), run.toString());
    assertEquals(Set.of(TOOL), MirrorTestSupport.rpms(mirror.resolve("Packages")));
    assumeTrue(Command.available("dnf"), "dnf is not installed");
    Path root = Files.createDirectories(work.resolve("root"));
    String listed =
        MirrorTestSupport.dnf(root, mirror.toUri().toString(), "repoquery", "--qf=%{name}")
            .ok("dnf repoquery")
            .out();
    assertEquals("tool", listed.strip());
  }

  @Test
  void killedRunLeavesTheLastGoodMirrorAndTheNextRunResumes() throws Exception {
    Path mirror = work.resolve("m");
    assertEquals(0, mirror(mirror, "tool").exit());
    byte[] goodRepomd = Files.readAllBytes(mirror.resolve("repodata/repomd.xml"));

    server.throttle(2000); // each package takes a couple of seconds
    Process process =
        new ProcessBuilder(RepoBuilder.inOwnJvm(args(mirror, "--jobs=2", "app")))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("killed.log").toFile())
            .start();
    try {
      // A partial file is created before its first bytes arrive: only one with bytes in it can
      // be resumed.
      waitFor(Duration.ofSeconds(60), () -> partialBytes(mirror.resolve("Packages")) > 0);
    } finally {
      process.destroyForcibly(); // SIGKILL
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }
    assertTrue(partialBytes(mirror.resolve("Packages")) > 0, "killed mid-file");
    assertEquals(
        new String(goodRepomd),
        Files.readString(mirror.resolve("repodata/repomd.xml")),
        "the last good index stands");
    assertEquals(Set.of(TOOL), MirrorTestSupport.rpms(mirror.resolve("Packages")));

    server.clearFaults();
    server.clearLog();
    RepoBuilder resumed = mirror(mirror, "app");
    assertEquals(0, resumed.exit(), resumed.toString());
    assertTrue(
        server.log().stream().anyMatch(r -> r.path().endsWith(".rpm") && r.rangeStart() > 0),
        "a partial file was resumed: " + server.log());
    assertEquals(0, partialFiles(mirror.resolve("Packages")));
    assertEquals(
        MirrorTestSupport.APP_CLOSURE, MirrorTestSupport.rpms(mirror.resolve("Packages")).size());
  }

  @Test
  void fullDiskFailsWithoutACorruptFileAndTheNextRunCompletes() throws Exception {
    Path mount = Files.createDirectories(work.resolve("small"));
    Command mounted =
        Command.run(
            MirrorTestSupport.DEADLINE,
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=1m",
            "tmpfs",
            mount.toString());
    assumeTrue(mounted.exit() == 0, "cannot mount a small tmpfs here: " + mounted.err());
    try {
      Path mirror = mount.resolve("m");
      assertEquals(0, mirror(mirror, "tool").exit(), "the metadata fits");
      Path filler = mount.resolve("filler");
      fill(filler, mount, 12 * 1024);

      RepoBuilder full = mirror(mirror, "app");

      assertEquals(1, full.exit(), full.toString());
      assertTrue(
          full.err().contains("No space left on device")
              || full.err().contains("no space left on device"),
          full.err());
      for (String rpm : MirrorTestSupport.rpms(mirror.resolve("Packages"))) {
        Command check =
            Command.run(
                MirrorTestSupport.DEADLINE,
                "rpm",
                "-K",
                "--nosignature",
                mirror.resolve("Packages").resolve(rpm).toString());
        assertEquals(0, check.exit(), rpm + " in the mirror is intact: " + check.out());
      }

      Files.delete(filler);
      RepoBuilder next = mirror(mirror, "app");
      assertEquals(0, next.exit(), next.toString());
      assertEquals(
          MirrorTestSupport.APP_CLOSURE, MirrorTestSupport.rpms(mirror.resolve("Packages")).size());
    } finally {
      Command.run(MirrorTestSupport.DEADLINE, "umount", "-l", mount.toString());
    }
  }

  /** Fills the file system of {@code dir} until about {@code leave} bytes are free. */
  private static void fill(Path filler, Path dir, long leave) throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    byte[] chunk = new byte[4096];
    try (var out = Files.newOutputStream(filler)) {
      for (long n = 0; n < free - leave; n += chunk.length) {
        out.write(chunk);
      }
    } catch (IOException full) {
      // full already: fine
    }
  }

  /** The bytes the partial files in {@code dir} hold. */
  private static long partialBytes(Path dir) throws IOException {
    long total = 0;
    for (Path part : partials(dir)) {
      try {
        total += Files.size(part);
      } catch (NoSuchFileException completed) {
        // renamed into place since the listing
      }
    }
    return total;
  }

  private static long partialFiles(Path dir) throws IOException {
    return partials(dir).size();
  }

  private static List<Path> partials(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  private static void waitFor(Duration deadline, Condition condition) throws Exception {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + deadline);
      }
      Thread.onSpinWait();
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static String sha256(Path file) throws IOException {
    var d = Digests.sha256();
    d.update(Files.readAllBytes(file));
    return Digests.hex(d);
  }
}

package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.Repodata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New metadata is written beside the old and made current by one rename of repomd.xml: a reader
 * never sees a half-written file, stale files go afterwards, and metadata added by other tools
 * (comps groups, updateinfo) stays listed.
 */
class MetadataSwapIT {
  @TempDir Path repo;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  private void index(boolean update) throws IndexException {
    new RepoIndexer(IndexOptions.defaults().withUpdate(update), ProgressListener.NONE).index(repo);
  }

  private Set<String> repodataFiles() throws Exception {
    try (Stream<Path> s = Files.list(repo.resolve("repodata"))) {
      return new TreeSet<>(
          s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
    }
  }

  @Test
  void staleMetadataFilesAreRemovedAfterTheSwap() throws Exception {
    FixtureRpms.copyInto(repo);
    index(false);
    Path first = FixtureRpms.all().get(0);
    Files.delete(repo.resolve(first.getFileName()));

    index(true);

    Set<String> expected = new TreeSet<>();
    expected.add("repomd.xml");
    for (Repomd.Record r : Repodata.repomd(repo).records()) {
      expected.add(Path.of(r.location()).getFileName().toString());
    }
    assertEquals(expected, repodataFiles());
    assertEquals(4, expected.size());
  }

  @Test
  void metadataOfOtherToolsListedInRepomdIsKept() throws Exception {
    assumeTrue(Command.available("modifyrepo_c"), "modifyrepo_c (createrepo-c) is not installed");
    FixtureRpms.copyInto(repo);
    index(false);
    Path comps = Files.writeString(repo.resolve("comps.xml"), COMPS);
    Command.run(
            Duration.ofMinutes(1),
            "modifyrepo_c",
            "--mdtype=group",
            comps.toString(),
            repo.resolve("repodata").toString())
        .ok("modifyrepo_c");
    Repomd.Record group = Repodata.repomd(repo).record("group");
    assertNotNull(group, "modifyrepo_c added a group record");

    index(true);

    assertEquals(group, Repodata.repomd(repo).record("group"));
    assertTrue(Files.isRegularFile(repo.resolve(group.location())));
    assertTrue(repodataFiles().contains(Path.of(group.location()).getFileName().toString()));
  }

  @Test
  void aReaderDuringRebuildsAlwaysFindsCompleteMetadata() throws Exception {
    FixtureRpms.copyInto(repo);
    index(false);
    AtomicReference<String> problem = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted() && problem.get() == null) {
                try {
                  checkConsistent();
                  reads.incrementAndGet();
                } catch (Exception e) {
                  problem.set(e.toString());
                }
              }
            });
    reader.start();
    try {
      List<Path> rpms = FixtureRpms.all();
      for (int round = 0; round < 6; round++) {
        Path changed = repo.resolve(rpms.get(round % rpms.size()).getFileName());
        Files.setLastModifiedTime(changed, FileTime.fromMillis(1_600_000_000_000L + round * 1000L));
        index(round % 2 == 0);
      }
    } finally {
      reader.interrupt();
      reader.join(Duration.ofSeconds(30).toMillis());
    }
    assertEquals(null, problem.get());
    assertTrue(reads.get() > 0, "the reader ran");
  }

  /**
   * Reads repomd.xml and every file it lists, checking each against its checksum. A file listed by
   * a repomd.xml that has just been replaced may be gone (stale files are removed): the reader then
   * starts again, as dnf would retry; a file that is there must be complete.
   */
  private void checkConsistent() throws Exception {
    for (int attempt = 0; ; attempt++) {
      Repomd repomd = Repodata.repomd(repo);
      boolean allThere = true;
      for (Repomd.Record r : repomd.records()) {
        Path file = repo.resolve(r.location());
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException gone) {
          allThere = false;
          break;
        }
        String sum =
            HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        if (!sum.equals(r.checksum())) {
          throw new AssertionError(file + " does not match its checksum in repomd.xml");
        }
      }
      if (allThere) {
        return;
      }
      if (attempt > 100) {
        throw new AssertionError("repomd.xml keeps listing files that are not there");
      }
    }
  }

  @Test
  void aSecondIndexRunOnTheSameRepositoryStopsWithAClearMessage() throws Exception {
    assumeTrue(Command.available("python3"), "python3 is missing");
    FixtureRpms.copyInto(repo);
    index(false);
    byte[] repomdBefore = Files.readAllBytes(repo.resolve("repodata/repomd.xml"));
    Path lock = repo.resolve("repodata/.repo-builder.lock");
    // Another process holds the lock, as a concurrent repo-builder index would (POSIX lock).
    Process holder =
        new ProcessBuilder(
                "python3",
                "-c",
                "import fcntl,sys,time\n"
                    + "f=open(sys.argv[1],'a')\n"
                    + "fcntl.lockf(f,fcntl.LOCK_EX)\n"
                    + "print('locked',flush=True)\n"
                    + "time.sleep(120)",
                lock.toString())
            .redirectErrorStream(true)
            .start();
    try {
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertEquals("locked", line);

      io.watchsync.repo.testing.RepoBuilder run =
          io.watchsync.repo.testing.RepoBuilder.run("index", repo.toString());

      assertEquals(1, run.exit(), run.toString());
      assertEquals(
          "repo-builder index: "
              + repo
              + ": another repo-builder index is writing this repository\n",
          run.err());
      assertArrayEquals(repomdBefore, Files.readAllBytes(repo.resolve("repodata/repomd.xml")));
    } finally {
      holder.destroyForcibly();
      holder.waitFor();
    }
  }

  private static final String COMPS =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
      <comps>
        <group>
          <id>fixtures</id>
          <name>Fixtures</name>
          <description>The fixture packages</description>
          <default>false</default>
          <uservisible>true</uservisible>
          <packagelist>
            <packagereq type="default">gamma</packagereq>
          </packagelist>
        </group>
      </comps>
      """;
}

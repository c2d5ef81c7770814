package io.watchsync.repo.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.repo.testing.Command;
import io.watchsync.repo.testing.FixtureRpms;
import io.watchsync.repo.testing.RepoBuilder;
import io.watchsync.repo.testing.Repodata;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken files are reported one line each and left out; the rest of the run goes on. */
class RejectedPackagesIT {
  @TempDir Path repo;

  @BeforeAll
  static void tools() {
    assumeTrue(Command.available("rpmbuild"), "rpmbuild is not installed");
  }

  @Test
  void truncatedCorruptAndFakePackagesAreRejectedOneLineEachAndTheRestIsIndexed() throws Exception {
    FixtureRpms.copyInto(repo);
    Path good = FixtureRpms.all().get(0);
    byte[] bytes = Files.readAllBytes(good);
    Files.createDirectories(repo.resolve("broken"));
    Path truncated =
        Files.write(repo.resolve("broken/truncated.rpm"), Arrays.copyOf(bytes, bytes.length / 2));
    Path fake = Files.writeString(repo.resolve("notes.rpm"), "these are my notes\n");
    Path flipped = repo.resolve("broken/flipped.rpm");
    Files.write(flipped, bytes);
    try (RandomAccessFile f = new RandomAccessFile(flipped.toFile(), "rw")) {
      f.seek(bytes.length - 100);
      int b = f.read();
      f.seek(bytes.length - 100);
      f.write(b ^ 0xff);
    }

    RepoBuilder run = RepoBuilder.run("index", repo.toString());

    assertEquals(1, run.exit(), run.toString());
    List<String> lines = run.err().lines().toList();
    assertEquals(3, lines.size(), run.err());
    assertTrue(
        lines.contains("repo-builder index: rejected " + fake + ": not an RPM (no RPM lead)"),
        run.err());
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("repo-builder index: rejected " + truncated + ": truncated")),
        run.err());
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.startsWith("repo-builder index: rejected " + flipped + ": corrupt")),
        run.err());
    assertTrue(run.out().contains(", 3 rejected"), run.out());
    Set<String> indexed = Repodata.packages(repo).keySet();
    assertEquals(FixtureRpms.all().size(), indexed.size(), indexed.toString());
    for (Path rpm : FixtureRpms.all()) {
      assertTrue(indexed.contains(rpm.getFileName().toString()), rpm + " missing: " + indexed);
    }
    // The files compressed on the guess that none would be rejected were written again, with
    // the count of the packages they hold, and nothing of the first attempt is left behind.
    for (String type : List.of("primary", "filelists", "other")) {
      String doc = new String(Repodata.open(repo, type), java.nio.charset.StandardCharsets.UTF_8);
      String count = "packages=\"" + FixtureRpms.all().size() + "\"";
      assertTrue(doc.substring(0, 400).contains(count), type + ": " + doc.substring(0, 400));
    }
    try (var files = Files.list(repo.resolve("repodata"))) {
      List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertEquals(4, names.stream().filter(n -> !n.startsWith(".")).count(), names.toString());
      assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), names.toString());
    }
  }
}

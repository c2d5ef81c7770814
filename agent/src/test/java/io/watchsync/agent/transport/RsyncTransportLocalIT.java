package io.watchsync.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.config.TargetUrl;
import io.watchsync.agent.replicate.Delivery;
import io.watchsync.agent.replicate.Delivery.Verdict;
import io.watchsync.agent.replicate.Work;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The transport contract against a directory on this machine, plus renames done in place. */
@EnabledOnOs(OS.LINUX)
class RsyncTransportLocalIT extends RsyncTransportContract {

  @Override
  String sentMark() {
    return ">";
  }

  @Override
  Path replica() {
    return work.resolve("replica");
  }

  @Override
  RsyncSettings settings(Path source, List<String> excludeArgs) {
    return settings(source, TargetUrl.parse(replica().toString()), null, excludeArgs);
  }

  @Test
  void aTargetDirectoryOverlappingTheSourceIsRefused() {
    for (String target : List.of(source.resolve("backup").toString(), work.toString())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> settings(source, TargetUrl.parse(target), null, List.of()));
      assertEquals("target directory " + target + " overlaps the source " + source, e.getMessage());
    }
  }

  @Test
  void aLocalTargetSupportsRenames() {
    assertTrue(transport.supportsRename());
  }

  @Test
  void renameMovesADirectoryOnTheTargetWithoutSendingItAgain() throws Exception {
    sh("mkdir -p dir/sub && echo content > dir/sub/file.txt");
    fullSync();
    Object inode = Files.getAttribute(replica().resolve("dir/sub/file.txt"), "unix:ino");
    sh("mkdir -p elsewhere && mv dir elsewhere/moved");
    Delivery d = delivered(transport.rename(path("dir"), path("elsewhere/moved")));
    Path moved = replica().resolve("elsewhere/moved/sub/file.txt");
    assertEquals("content\n", Files.readString(moved));
    assertEquals(inode, Files.getAttribute(moved, "unix:ino"), "the same file, moved, not copied");
    assertFalse(Files.exists(replica().resolve("dir")));
    assertEquals("renamed dir -> elsewhere/moved", d.detail());
    assertReplicatedAfterSendingTheParents();
  }

  private void assertReplicatedAfterSendingTheParents() throws InterruptedException {
    sendPlain(path("elsewhere"));
    assertReplicated();
  }

  @Test
  void renameHandlesQuotesNewlinesDashesAndNonUtf8Bytes() throws Exception {
    sh(
        "mkdir -p \"$(printf \"it's\\n-odd\\377\")\" && echo x > \"$(printf \"it's\\n-odd\\377\")/x\"");
    fullSync();
    sh("mv -- \"$(printf \"it's\\n-odd\\377\")\" \"$(printf -- \"-new 'name'\\351\")\"");
    delivered(
        transport.rename(
            raw("it's\n-odd\377".getBytes(StandardCharsets.ISO_8859_1)),
            raw("-new 'name'\351".getBytes(StandardCharsets.ISO_8859_1))));
    assertReplicated();
  }

  @Test
  void renameOfANameTheTargetNeverHadFailsSoThePathsAreSentInstead() throws Exception {
    Files.createDirectories(replica());
    sh("mkdir -p new && echo x > new/x");
    Delivery d = transport.rename(path("never-sent"), path("new"));
    assertEquals(Verdict.FAILED, d.verdict());
    assertEquals("source of rename missing on target: never-sent", d.detail());
    assertFalse(Files.exists(replica().resolve("new")), "nothing was created");
  }

  @Test
  void severalRenamesRunInOrderInOneGoAndAMissingOneIsReported() throws Exception {
    sh("mkdir -p a b c && echo 1 > a/1 && echo 2 > b/2 && echo 3 > c/3");
    fullSync();
    sh("mv a x && mv x y && mkdir -p deep && mv c deep/er");
    Delivery d =
        transport.rename(
            List.of(
                new Work.Rename(path("a"), path("x")),
                new Work.Rename(path("x"), path("y")),
                new Work.Rename(path("never-sent"), path("z")),
                new Work.Rename(path("c"), path("deep/er"))));
    assertEquals(Verdict.FAILED, d.verdict());
    assertEquals("renamed 3, then source of rename missing on target: never-sent", d.detail());
    assertEquals(List.of("a -> x", "x -> y", "c -> deep/er"), d.itemized());
    assertEquals("1\n", Files.readString(replica().resolve("y/1")));
    assertEquals("3\n", Files.readString(replica().resolve("deep/er/3")));
    assertFalse(Files.exists(replica().resolve("a")));
    assertFalse(Files.exists(replica().resolve("z")));
  }

  @Test
  void severalRenamesThatAllWorkAreCountedInTheDetail() throws Exception {
    sh("mkdir -p a b && echo 1 > a/1 && echo 2 > b/2");
    fullSync();
    sh("mv a a2 && mv b b2");
    Delivery d =
        delivered(
            transport.rename(
                List.of(
                    new Work.Rename(path("a"), path("a2")),
                    new Work.Rename(path("b"), path("b2")))));
    assertEquals("renamed 2 directories", d.detail());
    assertReplicated();
  }

  @Test
  void renameOverAnExistingEmptyDirectoryReplacesIt() throws Exception {
    sh("mkdir -p a b && echo 1 > a/1");
    fullSync();
    sh("rmdir b && mv a b");
    delivered(transport.rename(path("a"), path("b")));
    assertEquals("1\n", Files.readString(replica().resolve("b/1")));
    assertFalse(Files.exists(replica().resolve("a")));
  }

  @Test
  void probeOfAMissingDirectoryFailsNamingIt() throws Exception {
    Delivery d = transport.probe();
    assertEquals(Verdict.FAILED, d.verdict());
    assertEquals("directory " + replica() + " does not exist", d.detail());
  }

  @Test
  void aMissingRsyncBinaryIsReportedAsFailed() throws IOException, InterruptedException {
    RsyncSettings s = settings(source, List.of());
    transport =
        new RsyncTransport(
            new RsyncSettings(
                "/nonexistent/rsync",
                s.source(),
                s.target(),
                null,
                null,
                List.of(),
                s.timeout(),
                s.connectTimeout(),
                false,
                List.of(),
                null));
    Delivery d = transport.fullSync();
    assertEquals(Verdict.FAILED, d.verdict());
    assertTrue(d.detail().startsWith("cannot run /nonexistent/rsync"), d.detail());
  }
}

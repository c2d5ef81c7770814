package io.watchsync.agent.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.inotify.InotifyLimits;
import io.watchsync.agent.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class TreeWatcherIT {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @TempDir Path root;
  private final RecordingSink sink = new RecordingSink();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> fatal = new CopyOnWriteArrayList<>();
  private TreeWatcher watcher;

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
  }

  private TreeWatcher start() throws IOException {
    watcher = newWatcher(root);
    watcher.start();
    return watcher;
  }

  private TreeWatcher newWatcher(Path dir) {
    return TreeWatcher.builder()
        .root(dir)
        .filter(
            (path, directory) -> path.toString().endsWith(".tmp") || path.toString().equals("skip"))
        .sink(sink)
        .errorListener((e, isFatal) -> (isFatal ? fatal : errors).add(e.getMessage()))
        .build();
  }

  private void awaitLine(String line) {
    Await.until(
        DEADLINE,
        () -> sink.has(line),
        () -> "no \"" + line + "\" in " + sink.lines() + ", errors " + errors + fatal);
  }

  private void awaitWatches(int n) {
    Await.until(
        DEADLINE,
        () -> watcher.watchedDirectories() == n,
        () -> "watches: " + watcher.watchedDirectories() + ", expected " + n);
  }

  private static void sh(Path dir, String script) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", script)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertEquals(0, p.waitFor(), script);
  }

  @Test
  void newFileIsWritingUntilClosedThenChanged() throws Exception {
    start();
    Files.writeString(root.resolve("a.txt"), "hello");
    awaitLine("changed a.txt");
    List<String> lines = sink.lines();
    assertTrue(lines.indexOf("writing a.txt") < lines.indexOf("changed a.txt"), lines.toString());
    assertFalse(lines.contains("changed ."), "the root is left to full syncs: " + lines);
  }

  @Test
  void existingTreeIsWatchedAtStart() throws Exception {
    Files.createDirectories(root.resolve("x/y/z"));
    start();
    assertEquals(4, watcher.watchedDirectories());
    Files.writeString(root.resolve("x/y/z/deep"), "1");
    awaitLine("changed x/y/z/deep");
    awaitLine("changed x/y/z");
  }

  /**
   * The start-up walk runs on several threads: a wide and deep tree still ends with every directory
   * watched once, each under its own parent, and excluded ones left out.
   */
  @Test
  void aWideAndDeepTreeIsWatchedWholeAtStart() throws Exception {
    sh(root, "mkdir -p w{1..40}/s{1..25} deep/$(seq -s/ 1 300) skip/in w2/x.tmp/in");
    start();
    // root, 40 + 40*25 wide ones, deep and its 300 levels; skip and x.tmp left out with theirs
    assertEquals(1 + 40 + 40 * 25 + 1 + 300, watcher.watchedDirectories());
    List<String> files = List.of("w40/s25/f", "w1/s1/f", "deep/" + deepPath(300) + "/f");
    for (String f : files) {
      Files.writeString(root.resolve(f), "1");
    }
    for (String f : files) {
      awaitLine("changed " + f);
    }
    assertTrue(errors.isEmpty(), errors.toString());
  }

  private static String deepPath(int levels) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= levels; i++) {
      sb.append(i == 1 ? "" : "/").append(i);
    }
    return sb.toString();
  }

  @Test
  void filesCreatedRightAfterMkdirPAreNotMissed() throws Exception {
    start();
    sh(root, "mkdir -p a/b/c && echo 1 > a/b/c/f && mkdir a/b/c/d && echo 2 > a/b/c/d/g");
    awaitLine("changed a");
    awaitLine("changed a/b/c/f");
    awaitLine("changed a/b/c/d/g");
    awaitWatches(5);
    Files.writeString(root.resolve("a/b/c/d/later"), "3");
    awaitLine("changed a/b/c/d/later");
  }

  @Test
  void directoryRenamedInsideTheTreeIsOneMoveAndStaysWatched() throws Exception {
    Files.createDirectories(root.resolve("old/sub"));
    start();
    Files.move(root.resolve("old"), root.resolve("new"));
    awaitLine("moved old -> new");
    Files.writeString(root.resolve("new/sub/f"), "x");
    awaitLine("changed new/sub/f");
    assertFalse(
        sink.lines().stream().anyMatch(l -> l.contains("old/sub")), sink.lines().toString());
  }

  @Test
  void aDirectoryRenamedAwayAndReplacedBeforeItsEventsAreReadIsWatchedUnderItsNewName()
      throws Exception {
    start();
    watcher.suspendReading();
    // By the time the events are read, "a" is another directory: watches added by path at that
    // point land on the newcomer unless the rename is checked.
    sh(root, "mkdir -p a/sub && mv a b && mkdir -p a/sub");
    watcher.resumeReading();
    awaitLine("moved a -> b");
    awaitWatches(5);
    Files.writeString(root.resolve("b/sub/old"), "x");
    Files.writeString(root.resolve("a/sub/new"), "y");
    awaitLine("changed b/sub/old");
    awaitLine("changed a/sub/new");
    assertFalse(
        sink.has("changed a/sub/old") || sink.has("changed b/sub/new"), sink.lines()::toString);
  }

  @Test
  void fileRenamedInsideTheTreeSendsBothNames() throws Exception {
    Files.writeString(root.resolve("a"), "x");
    start();
    Files.move(root.resolve("a"), root.resolve("b"));
    awaitLine("changed b");
    awaitLine("changed a");
  }

  @Test
  void directoryMovedOutOfTheTreeIsADeleteAndIsNoLongerWatched(@TempDir Path outside)
      throws Exception {
    Files.createDirectories(root.resolve("d/e"));
    start();
    Files.move(root.resolve("d"), outside.resolve("d"));
    awaitLine("changed d");
    awaitWatches(1);
    sink.clear();
    Files.writeString(outside.resolve("d/e/f"), "x");
    Files.writeString(root.resolve("marker"), "x");
    awaitLine("changed marker");
    assertFalse(sink.lines().stream().anyMatch(l -> l.contains("f")), sink.lines().toString());
  }

  @Test
  void directoryMovedIntoTheTreeIsANewSubtree(@TempDir Path outside) throws Exception {
    Files.createDirectories(outside.resolve("in/deeper"));
    start();
    Files.move(outside.resolve("in"), root.resolve("in"));
    awaitLine("subtree in");
    Files.writeString(root.resolve("in/deeper/f"), "x");
    awaitLine("changed in/deeper/f");
  }

  @Test
  void deletionsAreChanges() throws Exception {
    Files.createDirectories(root.resolve("dir"));
    Files.writeString(root.resolve("dir/f"), "x");
    start();
    sh(root, "rm -r dir");
    awaitLine("changed dir/f");
    awaitLine("changed dir");
    awaitWatches(1);
  }

  @Test
  void symlinkIsChangedAtOnceAndNotFollowed(@TempDir Path outside) throws Exception {
    Files.createDirectories(outside.resolve("target"));
    start();
    Files.createSymbolicLink(root.resolve("link"), outside.resolve("target"));
    awaitLine("changed link");
    assertFalse(sink.has("writing link"));
    assertEquals(1, watcher.watchedDirectories());
  }

  @Test
  void chmodIsAChange() throws Exception {
    Files.writeString(root.resolve("f"), "x");
    start();
    sh(root, "chmod 600 f");
    awaitLine("changed f");
  }

  @Test
  void excludedPathsAreNotReportedNorWatched() throws Exception {
    start();
    sh(root, "mkdir skip && echo 1 > skip/f && echo 2 > a.tmp && echo 3 > kept");
    awaitLine("changed kept");
    assertFalse(
        sink.lines().stream().anyMatch(l -> l.contains("skip") || l.contains("tmp")),
        sink.lines().toString());
    assertEquals(1, watcher.watchedDirectories());
  }

  @Test
  void namesThatAreNotUtf8AreReportedByteForByte() throws Exception {
    start();
    sh(
        root,
        "mkdir \"$(printf 'caf\\351')\" && echo x > \"$(printf 'caf\\351')/$(printf '\\377 -n\\nx')\"");
    String dir = RelPath.of(new byte[] {'c', 'a', 'f', (byte) 0xe9}).toString();
    awaitLine("changed " + dir);
    String file =
        RelPath.of(new byte[] {'c', 'a', 'f', (byte) 0xe9})
            .resolve(new byte[] {(byte) 0xff, ' ', '-', 'n', '\n', 'x'})
            .toString();
    awaitWatches(2);
    sh(root, "echo y >> \"$(printf 'caf\\351')/$(printf '\\377 -n\\nx')\"");
    awaitLine("changed " + file);
  }

  @Test
  void overflowRescansAndReportsTheLoss() throws Exception {
    start();
    long queue = InotifyLimits.read().maxQueuedEvents();
    watcher.suspendReading();
    // Each new file in the (watched) root queues at least CREATE and CLOSE_WRITE, so as many
    // files as the queue holds events are certain to overflow it.
    sh(root, "mkdir made-while-blind && seq 1 " + queue + " | xargs touch");
    watcher.resumeReading();
    awaitLine("lost .");
    awaitWatches(2);
    sink.clear();
    Files.writeString(root.resolve("made-while-blind/after"), "x");
    awaitLine("changed made-while-blind/after");
  }

  @Test
  void deletingTheRootIsFatal(@TempDir Path parent) throws Exception {
    Path dir = Files.createDirectory(parent.resolve("watched"));
    watcher = newWatcher(dir);
    watcher.start();
    Files.delete(dir);
    Await.until(DEADLINE, () -> !fatal.isEmpty(), () -> "no fatal error");
    assertTrue(fatal.get(0).contains("was deleted"), fatal.toString());
  }

  @Test
  void stopsWithinAFewSecondsWhenClosed() throws Exception {
    start();
    long t0 = System.nanoTime();
    watcher.close();
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5);
    List<String> none = new ArrayList<>();
    assertEquals(List.of(), none);
  }
}

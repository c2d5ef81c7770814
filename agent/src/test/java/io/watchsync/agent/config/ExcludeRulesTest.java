package io.watchsync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.DirectoryLister;
import io.watchsync.agent.fs.RelPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The watcher must skip exactly what rsync skips: each pattern set is checked against rsync. */
class ExcludeRulesTest {
  @TempDir static Path work;
  static Path source;

  @BeforeAll
  static void buildTree() throws Exception {
    source = Files.createDirectories(work.resolve("src"));
    sh(
        source,
        "mkdir -p a/b/c cache/x deep/cache/y .git/objects tmp sub/tmp logs/2026 'with space'"
            + " && touch top.txt a/one.tmp a/b/two.tmp a/b/c/keep.txt cache/x/f deep/cache/y/g"
            + " .git/objects/o .git/HEAD tmp/t sub/tmp/t logs/2026/app.log logs/app.log"
            + " 'with space/x y.swp' a/b/c/.hidden a/b/tmp a/cache"
            + " && touch \"$(printf 'caf\\351.tmp')\" \"$(printf 'a/b/\\377raw')\"");
  }

  static Stream<Arguments> patternSets() {
    return Stream.of(
        Arguments.of(List.of("*.tmp")),
        Arguments.of(List.of("/tmp/")),
        Arguments.of(List.of("tmp/")),
        Arguments.of(List.of("tmp")),
        Arguments.of(List.of("cache/")),
        Arguments.of(List.of("/cache")),
        Arguments.of(List.of(".git/")),
        Arguments.of(List.of(".*")),
        Arguments.of(List.of("a/b")),
        Arguments.of(List.of("/a/b/c/")),
        Arguments.of(List.of("logs/**/*.log")),
        Arguments.of(List.of("logs/*.log")),
        Arguments.of(List.of("**/y")),
        Arguments.of(List.of("deep/***")),
        Arguments.of(List.of("[ac]*")),
        Arguments.of(List.of("[!a-c]*.txt")),
        Arguments.of(List.of("?ne.tmp", "*.swp", "with space/")),
        Arguments.of(List.of("*\\377*")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patternSets")
  void keepsExactlyWhatRsyncCopies(List<String> patterns) throws Exception {
    ExcludeRules rules = ExcludeRules.of(patterns);
    Path replica = Files.createTempDirectory(work, "replica");
    List<String> cmd = new ArrayList<>(List.of("rsync", "-a"));
    cmd.addAll(rules.rsyncArgs());
    cmd.add(source + "/");
    cmd.add(replica + "/");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    assertEquals(listing(replica, PathFilterAll.NONE), listing(source, rules), patterns::toString);
  }

  @Test
  void aBrokenPatternIsRejectedWithItsText() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ExcludeRules.of(List.of("[abc")));
    assertTrue(e.getMessage().contains("\"[abc\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExcludeRules.of(List.of("")));
  }

  @Test
  void rsyncArgumentsKeepTheOrder() {
    assertEquals(
        List.of("--exclude=*.swp", "--exclude=/tmp/"),
        ExcludeRules.of(List.of("*.swp", "/tmp/")).rsyncArgs());
  }

  /** Filters nothing. */
  private static final class PathFilterAll {
    static final io.watchsync.agent.fs.PathFilter NONE = io.watchsync.agent.fs.PathFilter.NONE;
  }

  /** Every path below {@code root} the filter keeps, as display strings, walking raw bytes. */
  private static TreeSet<String> listing(Path root, io.watchsync.agent.fs.PathFilter filter)
      throws IOException {
    TreeSet<String> out = new TreeSet<>();
    byte[] base = DirectoryLister.nativeBytes(root);
    Deque<RelPath> todo = new ArrayDeque<>();
    todo.push(RelPath.ROOT);
    while (!todo.isEmpty()) {
      RelPath dir = todo.pop();
      for (DirectoryLister.Entry e :
          DirectoryLister.list(dir.isRoot() ? base : DirectoryLister.join(base, dir.bytes()))) {
        RelPath child = dir.resolve(e.name());
        if (filter.excludes(child, e.isDirectory())) {
          continue;
        }
        out.add(child + (e.isDirectory() ? "/" : ""));
        if (e.isDirectory()) {
          todo.push(child);
        }
      }
    }
    return out;
  }

  private static void sh(Path dir, String script) throws Exception {
    Process p =
        new ProcessBuilder("bash", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
  }
}

package io.watchsync.agent.filter;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.fs.RelPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that {@link ExcludeRules} keeps exactly the paths real rsync copies: for each pattern set,
 * {@code rsync -a --exclude=… src/ dst/} runs on a tree of awkward names and the copied paths are
 * compared with the paths the rules keep.
 */
class ExcludeRulesMatchRsyncIT {
  @TempDir static Path work;
  static Path src;
  static Map<RelPath, Boolean> tree; // path → is a directory
  static final AtomicInteger SETS_THAT_EXCLUDED = new AtomicInteger();

  /** The tree, as shell lines; printf makes the names that are not valid UTF-8. */
  private static final String TREE =
      String.join(
          "\n",
          "set -e",
          "cd src",
          "mkdir -p .git/objects/ab dir/sub dir/tmp tmp cache sub 'with space' foo/bar/baz"
              + " bar/baz build/out src/build/out node_modules/deep/node_modules deep/a/b/c"
              + " a/b/c Upper/Case",
          "touch a.txt a.tmp b.TMP x.txt .hidden .git/config .git/objects/ab/cd dir/.git"
              + " dir/sub/x.tmp dir/sub/keep.c dir/tmp/inner dir/tmp.txt tmp/t cache/c"
              + " sub/cache 'with space/file name.txt' 'top level.txt' foo/qux.c"
              + " foo/bar/baz/qux.c foo/bar/qux.c bar/baz/x '[brackets].txt' 'star*name'"
              + " build/out/obj.o src/build/out/obj.o node_modules/deep/node_modules/x.js"
              + " deep/a/b/c/d.log top.log a/b/c/file Upper/Case/File.TXT",
          "touch \"$(printf 'caf\\351.txt')\"",
          "mkdir \"$(printf '\\377\\376')\"",
          "touch \"$(printf '\\377\\376/inner.tmp')\" \"$(printf '\\377\\376/plain')\"",
          "ln -s dir link-to-dir",
          "");

  @BeforeAll
  static void buildTree() throws Exception {
    src = Files.createDirectories(work.resolve("src"));
    run(work, TREE);
    tree = list(src);
    assertTrue(tree.size() > 50, "tree built: " + tree.keySet());
  }

  static Stream<Arguments> patternSets() {
    return Stream.of(
            List.of("*.tmp"),
            List.of(".git/"),
            List.of(".git"),
            List.of(".*"),
            List.of("/tmp/"),
            List.of("tmp/"),
            List.of("tmp"),
            List.of("dir/sub"),
            List.of("/dir/sub/"),
            List.of("sub/*.c"),
            List.of("b/c"),
            List.of("a/b/c/"),
            List.of("foo/**/qux.c"),
            List.of("**/baz"),
            List.of("**/"),
            List.of("/foo/**"),
            List.of("foo/***"),
            List.of("bar/**"),
            List.of("**.log"),
            List.of("*/sub/*"),
            List.of("/*.txt"),
            List.of("[abc].*", "?.txt"),
            List.of("[!a-m]*"),
            List.of("*[[:upper:]]*"),
            List.of("*.TMP", "with space/"),
            List.of("caf\u00e9.txt"),
            List.of("caf?.txt"),
            List.of("\u00ff*"),
            List.of("*.tmp", "caf[^a-z].txt"),
            List.of("- *.c", "cache/"),
            List.of("\\[brackets\\].txt", "star\\*name"),
            List.of("[brackets].txt"),
            List.of("node_modules/"),
            List.of("build/out/"),
            List.of("link-to-dir/"),
            List.of("link-to-dir"),
            List.of("*"),
            List.of("top level.txt", "deep/a"),
            List.of("**/*.c"),
            List.of("*/"),
            List.of("/dir/*/keep.c"),
            List.of("dir/**/inner"),
            List.of("[]a]*"),
            List.of("foo/*/baz/"),
            List.of("**/node_modules/**"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patternSets")
  void rulesKeepExactlyWhatRsyncCopies(List<String> patterns) throws Exception {
    Path dst = Files.createTempDirectory(work, "dst");
    StringBuilder script = new StringBuilder("rsync -a");
    for (String arg : ExcludeRules.of(patterns).rsyncArgs()) {
      script.append(' ').append(quote(arg));
    }
    script.append(" src/ ").append(quote(work.relativize(dst) + "/")).append('\n');
    run(work, script.toString());

    TreeSet<String> copied = names(list(dst).keySet());
    ExcludeRules rules = ExcludeRules.of(patterns);
    List<RelPath> kept = new ArrayList<>();
    tree.forEach(
        (path, directory) -> {
          if (!rules.excludes(path, directory)) {
            kept.add(path);
          }
        });
    assertEquals(copied, names(kept), "paths kept for " + patterns);
    if (copied.size() < tree.size()) {
      SETS_THAT_EXCLUDED.incrementAndGet();
    }
  }

  /** Guards the comparison itself: rsync really did leave paths out for most sets. */
  @AfterAll
  static void rsyncReallyExcludedPaths() {
    assertTrue(
        SETS_THAT_EXCLUDED.get() > 35, "sets that excluded something: " + SETS_THAT_EXCLUDED);
  }

  private static TreeSet<String> names(Iterable<RelPath> paths) {
    TreeSet<String> out = new TreeSet<>();
    paths.forEach(p -> out.add(p.toString()));
    return out;
  }

  /**
   * Every path below {@code dir} (raw bytes) and whether it is a directory (not following links).
   */
  private static Map<RelPath, Boolean> list(Path dir) throws Exception {
    byte[] out = run(dir, "find . -mindepth 1 -printf '%P\\0%y\\0'\n");
    Map<RelPath, Boolean> paths = new TreeMap<>();
    int start = 0;
    RelPath pending = null;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        byte[] field = java.util.Arrays.copyOfRange(out, start, i);
        if (pending == null) {
          pending = RelPath.of(field);
        } else {
          paths.put(pending, field.length == 1 && field[0] == 'd');
          pending = null;
        }
        start = i + 1;
      }
    }
    return paths;
  }

  /** Runs a bash script given as UTF-8 bytes (so arguments never pass through Java's encoding). */
  private static byte[] run(Path dir, String script) throws IOException, InterruptedException {
    Path file = Files.createTempFile(work, "script", ".sh");
    Files.write(file, script.getBytes(UTF_8));
    Process p =
        new ProcessBuilder("bash", file.toString())
            .directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "script finishes: " + script);
    assertEquals(0, p.exitValue(), "script fails: " + script);
    return out.toByteArray();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

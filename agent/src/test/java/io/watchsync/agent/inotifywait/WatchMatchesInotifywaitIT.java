package io.watchsync.agent.inotifywait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Side by side with the real thing: inotifywait and {@code watchsync watch}, given the same
 * options, watch the same directory at the same time while the same operations happen in it, and
 * must print the same lines.
 *
 * <p>No scenario makes the same event twice in a row without waiting for both tools in between: the
 * kernel merges such a pair when the first is still unread, so whether it shows once or twice
 * depends on timing, for inotifywait as for any reader.
 *
 * <p>One kind of line is left out of the comparison: reads of a directory (OPEN, ACCESS,
 * CLOSE_NOWRITE with ISDIR). With -r each tool lists every new directory, and each sees the other's
 * listing too, at a moment and with kernel-merged repeats that depend on scheduling; none of the
 * operations below reads a directory.
 */
@EnabledOnOs(OS.LINUX)
class WatchMatchesInotifywaitIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final Pattern DIRECTORY_READ =
      Pattern.compile("(OPEN|ACCESS|CLOSE_NOWRITE)\\W.*ISDIR");

  @TempDir Path work;
  private Path watched;
  private Tool inotifywait;
  private Tool watchsync;

  /** One option set: the arguments, and whether its lines name the events. */
  record Options(String name, List<String> args, boolean printsEvents) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A scenario: operations in the watched directory; {@code sync} waits for both tools. */
  interface Scenario {
    void run(Path dir, Runnable sync) throws IOException;
  }

  record Named(String name, Scenario scenario) {}

  /** A running tool and the files its output goes to. */
  record Tool(String name, Process process, Path out, Path err) {
    List<String> lines() {
      try {
        return Files.readAllLines(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String stderr() {
      try {
        return Files.readString(err, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** How many inotify watches the process holds, from {@code /proc/PID/fdinfo}. */
    long watches() {
      try (Stream<Path> fds = Files.list(Path.of("/proc", "" + process.pid(), "fdinfo"))) {
        long n = 0;
        for (Path fd : fds.toList()) {
          try {
            n += Files.readAllLines(fd).stream().filter(l -> l.startsWith("inotify wd:")).count();
          } catch (IOException vanished) {
            // an fd closed while we looked
          }
        }
        return n;
      } catch (IOException e) {
        return 0;
      }
    }
  }

  @BeforeAll
  static void inotifywaitIsInstalled() {
    assumeTrue(
        Stream.of("/usr/bin/inotifywait", "/bin/inotifywait", "/usr/local/bin/inotifywait")
            .anyMatch(p -> Files.isExecutable(Path.of(p))),
        "inotifywait (inotify-tools) is not installed");
  }

  @AfterEach
  void stopBoth() throws InterruptedException {
    for (Tool t : new Tool[] {inotifywait, watchsync}) {
      if (t != null && t.process().isAlive()) {
        t.process().destroy();
        if (!t.process().waitFor(10, TimeUnit.SECONDS)) {
          t.process().destroyForcibly();
        }
      }
    }
  }

  static Stream<Arguments> optionSets() {
    return Stream.of(
            new Options("the default line", List.of("-m"), true),
            new Options(
                "recursive, quiet, path and events", List.of("-mrq", "--format", "%w%f %e"), true),
            new Options(
                "creations with a time stamp",
                List.of(
                    "-mq", "--timefmt", "%y %m %d %H %M", "--format", "%T %w%f", "-e", "create"),
                false),
            new Options(
                "finished files only",
                List.of("-mr", "-e", "close_write,moved_to", "--format", "%w%f"),
                false),
            new Options("editor swap files excluded", List.of("-mr", "--exclude", "\\.swp$"), true),
            new Options(
                "events joined by a colon", List.of("-m", "-r", "--format", "%f %:e"), true))
        .map(Arguments::of);
  }

  static List<Named> scenarios() {
    return List.of(
        new Named("a file is created", (d, sync) -> Files.createFile(d.resolve("created.txt"))),
        new Named(
            "a file is written and closed",
            (d, sync) ->
                Files.writeString(
                    d.resolve("written.txt"),
                    "data",
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)),
        new Named(
            "a directory is made and a file created inside",
            (d, sync) -> {
              Files.createDirectory(d.resolve("dir"));
              sync.run();
              Files.createFile(d.resolve("dir/inner.txt"));
            }),
        new Named(
            "a file is renamed within the tree",
            (d, sync) -> {
              Files.createFile(d.resolve("before.txt"));
              Files.move(d.resolve("before.txt"), d.resolve("after.txt"));
            }),
        new Named(
            "a file is moved out of the tree",
            (d, sync) -> {
              Files.createFile(d.resolve("leaving.txt"));
              Files.move(d.resolve("leaving.txt"), d.resolveSibling("left.txt"));
            }),
        new Named(
            "a file is deleted",
            (d, sync) -> {
              Files.createFile(d.resolve("doomed.txt"));
              Files.delete(d.resolve("doomed.txt"));
            }),
        new Named(
            "a file's mode is changed",
            (d, sync) -> {
              Files.createFile(d.resolve("mode.txt"));
              Files.setPosixFilePermissions(
                  d.resolve("mode.txt"), PosixFilePermissions.fromString("rw-------"));
            }),
        new Named(
            "a directory is made, renamed and written into",
            (d, sync) -> {
              Files.createDirectory(d.resolve("old dir"));
              sync.run();
              Files.move(d.resolve("old dir"), d.resolve("new dir"));
              sync.run();
              Files.createFile(d.resolve("new dir/inside.txt"));
            }),
        new Named(
            "a directory is moved out of the tree",
            (d, sync) -> {
              Files.createDirectory(d.resolve("going"));
              sync.run();
              Files.move(d.resolve("going"), d.resolveSibling("gone"));
              sync.run();
              Files.createFile(d.resolveSibling("gone").resolve("not-seen.txt"));
            }),
        new Named(
            "a directory with a file in it is moved into the tree",
            (d, sync) -> {
              Path outside = Files.createDirectories(d.resolveSibling("incoming"));
              Files.createFile(outside.resolve("already there.txt"));
              Files.move(outside, d.resolve("incoming"));
              sync.run();
              Files.createFile(d.resolve("incoming/arrived later.txt"));
            }),
        new Named(
            "names have spaces",
            (d, sync) -> {
              Files.createFile(d.resolve("two words.txt"));
              // Two CLOSE_WRITEs in a row would be merged by the kernel if still unread.
              sync.run();
              Files.writeString(d.resolve("two words.txt"), "more", StandardOpenOption.APPEND);
            }),
        new Named(
            "an editor writes a swap file",
            (d, sync) -> {
              Files.createFile(d.resolve(".notes.txt.swp"));
              Files.createFile(d.resolve("notes.txt"));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionSets")
  void watchPrintsWhatInotifywaitPrints(Options options) throws Exception {
    watched = Files.createDirectories(work.resolve("watched"));
    if (options.args().stream().anyMatch(a -> a.contains("%T"))) {
      // %T has minute resolution: keep the whole run inside one minute.
      Await.until(
          Duration.ofSeconds(40), () -> LocalTime.now().getSecond() < 25, () -> "a new minute");
    }
    inotifywait = start("inotifywait", command(List.of("inotifywait"), options));
    watchsync = start("watchsync", command(watchsyncCommand(), options));
    for (Tool t : List.of(inotifywait, watchsync)) {
      Await.until(
          DEADLINE,
          () -> t.watches() >= 1 || !t.process().isAlive(),
          () -> t.name() + " to watch " + watched + "; stderr: " + t.stderr());
      assertTrue(t.process().isAlive(), () -> t.name() + " exited: " + t.stderr());
    }

    int[] syncs = {0};
    for (Named s : scenarios()) {
      String id = s.name().replace(' ', '-').replace("'", "");
      Runnable sync = () -> marker(options, id + "." + ++syncs[0]);
      s.scenario().run(watched, sync);
      marker(options, "end-of-" + id);
    }

    List<String> expected = comparable(inotifywait.lines());
    List<String> actual = comparable(watchsync.lines());
    assertTrue(
        expected.size() > 2 * scenarios().size(),
        () -> "too few lines for a meaningful comparison: " + expected);
    assertEquals(String.join("\n", expected), String.join("\n", actual), "stdout, line by line");
    if (!options.args().contains("-mrq") && !options.args().contains("-mq")) {
      assertEquals(inotifywait.stderr(), watchsync.stderr(), "stderr");
    }
  }

  /**
   * Creates {@code .sync-NAME} and waits until both tools have printed its last line: the
   * CLOSE_WRITE one when the lines name events, the only one otherwise. Any directory a scenario
   * made before is then watched by both, since each watches a new directory before printing.
   */
  private void marker(Options options, String name) {
    String file = ".sync-" + name;
    try {
      Files.createFile(watched.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Predicate<String> last =
        l -> l.contains(file) && (!options.printsEvents() || l.contains("CLOSE_WRITE"));
    for (Tool t : List.of(inotifywait, watchsync)) {
      Await.until(
          DEADLINE,
          () -> t.lines().stream().anyMatch(last),
          () -> t.name() + " to report " + file + "; it printed:\n" + String.join("\n", t.lines()));
    }
  }

  private static List<String> comparable(List<String> lines) {
    List<String> kept = new ArrayList<>();
    for (String l : lines) {
      if (!DIRECTORY_READ.matcher(l).find()) {
        kept.add(l);
      }
    }
    return kept;
  }

  private List<String> command(List<String> program, Options options) {
    List<String> cmd = new ArrayList<>(program);
    cmd.addAll(options.args());
    cmd.add(watched.toString());
    return cmd;
  }

  private static List<String> watchsyncCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        WatchsyncCommand.class.getName(),
        "watch");
  }

  private Tool start(String name, List<String> cmd) throws IOException {
    Path out = work.resolve(name + ".out");
    Path err = work.resolve(name + ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    return new Tool(name, p, out, err);
  }
}

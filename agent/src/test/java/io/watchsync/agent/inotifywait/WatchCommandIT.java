package io.watchsync.agent.inotifywait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.watchsync.agent.cli.WatchsyncCommand;
import io.watchsync.agent.testing.Await;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code watchsync watch} as scripts call it: options, exit codes, messages, -t and -o. */
@EnabledOnOs(OS.LINUX)
class WatchCommandIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path work;
  private Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void makeDirectory() throws IOException {
    dir = Files.createDirectories(work.resolve("watched"));
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("watch"));
    all.addAll(List.of(args));
    return WatchsyncCommand.run(
        new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
  }

  /** Runs in the background; returns once the watches are set up. */
  private CompletableFuture<Integer> runUntilWatching(String... args) {
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> run(args));
    Await.until(
        DEADLINE,
        () -> err.toString().contains("Watches established.") || code.isDone(),
        () -> "the watches; stderr: " + err);
    return code;
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            List.of("-e", "bogus", "DIR"),
            "'bogus' is not a valid event!  Run with the '--help' option to see a list of"
                + " events.\n"),
        Arguments.of(
            List.of("-e", "create,nope", "DIR"),
            "'create,nope' is not a valid event!  Run with the '--help' option to see a list of"
                + " events.\n"),
        Arguments.of(
            List.of("-t", "soon", "DIR"),
            "'soon' is not a valid timeout value.\nPlease specify a long int value.\n"),
        Arguments.of(
            List.of("--timefmt", "%H", "DIR"), "--timefmt cannot be specified without --format.\n"),
        Arguments.of(
            List.of("--format", "%T %w", "DIR"),
            "%T is in --format string, but --timefmt was not specified.\n"),
        Arguments.of(
            List.of("-c", "--format", "%w", "DIR"), "-c and --format cannot both be specified.\n"),
        Arguments.of(
            List.of("--exclude", "a", "--include", "b", "DIR"),
            "include and exclude regexp cannot both be specified.\n"),
        Arguments.of(
            List.of("--exclude", "a", "--excludei", "b", "DIR"),
            "--exclude and --excludei cannot both be specified.\n"),
        Arguments.of(List.of("--exclude", "(", "DIR"), "Error in `exclude' regular expression.\n"),
        Arguments.of(List.of("-m"), "No files specified to watch!\n"),
        Arguments.of(
            List.of("DIR/missing"),
            "Setting up watches.\nCouldn't watch DIR/missing: No such file or directory\n"),
        Arguments.of(
            List.of("-o", "DIR/no/such/dir/events.log", "DIR"),
            "Failed to open output file DIR/no/such/dir/events.log\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakesFailWithExitOneAndInotifywaitsMessage(List<String> args, String message)
      throws Exception {
    String[] real = args.stream().map(a -> a.replace("DIR", dir.toString())).toArray(String[]::new);
    String expected = message.replace("DIR", dir.toString());
    assertEquals(1, run(real), err::toString);
    assertEquals(expected, err.toString());
    assertEquals("", out.toString());
    if (inotifywaitInstalled()) {
      List<String> cmd = new ArrayList<>(List.of("inotifywait"));
      cmd.addAll(List.of(real));
      Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      String realErr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
      assertEquals(1, p.exitValue(), "inotifywait's exit code");
      assertEquals(expected, realErr, "inotifywait's message");
    }
  }

  @Test
  void anUnknownOptionIsAnErrorWithExitOne() {
    assertEquals(1, run("--bogus", dir.toString()));
    assertTrue(err.toString().contains("--bogus"), err::toString);
  }

  @Test
  void timeoutWithoutAnEventExitsWithTwo() {
    long start = System.nanoTime();
    assertEquals(2, run("-t", "1", dir.toString()));
    assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited the whole second");
    assertEquals("Setting up watches.\nWatches established.\n", err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void clusteredShortOptionsParseAsWithGetopt() {
    assertEquals(2, run("-qrt1", "-e", "create", "--event=delete,moved_to", dir.toString()));
    assertEquals("", err.toString(), "-q hides the set-up messages");
  }

  @Test
  void theFirstEventEndsTheWaitWithExitZero() throws Exception {
    CompletableFuture<Integer> code = runUntilWatching("-e", "create", dir.toString());
    Files.createDirectory(dir.resolve("sub"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals(dir + "/ CREATE,ISDIR sub\n", out.toString());
  }

  @Test
  void aNegativeTimeoutIsAValueAndWaitsForEver() throws Exception {
    CompletableFuture<Integer> code = runUntilWatching("-t", "-1", "-e", "create", dir.toString());
    Files.createFile(dir.resolve("f"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
  }

  @Test
  void theWatchedDirectoryGoingAwayExitsWithOne() throws Exception {
    CompletableFuture<Integer> code = runUntilWatching("-e", "create", dir.toString());
    Files.delete(dir);
    assertEquals(1, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals("", out.toString());
  }

  @Test
  void outfileReceivesTheEventsInsteadOfStdout() throws Exception {
    Path log = work.resolve("events.log");
    CompletableFuture<Integer> code =
        runUntilWatching("-o", log.toString(), "--format", "%w%f %e", dir.toString());
    Files.createFile(dir.resolve("new file"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals(dir + "/new file CREATE\n", Files.readString(log));
    assertEquals("", out.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
  }

  @Test
  void outfileIsAppendedTo() throws Exception {
    Path log = work.resolve("events.log");
    Files.writeString(log, "earlier\n");
    CompletableFuture<Integer> code =
        runUntilWatching("-o", log.toString(), "-e", "create", dir.toString());
    Files.createFile(dir.resolve("x"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals("earlier\n" + dir + "/ CREATE x\n", Files.readString(log));
  }

  @Test
  void csvQuotesFieldsWithCommasAndQuotes() throws Exception {
    CompletableFuture<Integer> code = runUntilWatching("-c", "-e", "close_write", dir.toString());
    Files.createFile(dir.resolve("a,\"b\""));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals(dir + "/,\"CLOSE_WRITE,CLOSE\",\"a,\"\"b\"\"\"\n", out.toString());
  }

  @Test
  void anAtArgumentExcludesADirectoryFromARecursiveWatch() throws Exception {
    Files.createDirectories(dir.resolve("skip"));
    Files.createDirectories(dir.resolve("keep"));
    CompletableFuture<Integer> code =
        runUntilWatching("-r", "-e", "create", dir.toString(), "@" + dir.resolve("skip"));
    Files.createFile(dir.resolve("skip/unseen"));
    Files.createFile(dir.resolve("keep/seen"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals(dir + "/keep/ CREATE seen\n", out.toString());
  }

  @Test
  void fromfileNamesWhatToWatch() throws Exception {
    Path other = Files.createDirectories(work.resolve("other"));
    Path list = work.resolve("list");
    Files.writeString(list, other + "\n");
    CompletableFuture<Integer> code =
        runUntilWatching("--fromfile", list.toString(), "-e", "create");
    Files.createFile(other.resolve("listed"));
    assertEquals(0, code.get(20, TimeUnit.SECONDS), err::toString);
    assertEquals(other + "/ CREATE listed\n", out.toString());
  }

  @Test
  void quietTwicePrintsNothingAtAll() throws Exception {
    CompletableFuture<Integer> code =
        CompletableFuture.supplyAsync(() -> run("-qq", "-e", "create", dir.toString()));
    Path probe = dir.resolve("probe");
    // No message says when the watch is up: create until the command sees one and exits.
    Await.until(
        DEADLINE,
        () -> {
          try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return code.isDone();
        },
        () -> "the command to see a creation");
    assertEquals(0, code.get());
    assertEquals("", out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void helpDescribesTheCommand() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Usage: watchsync watch"), out::toString);
    assertTrue(out.toString().contains("--timefmt"), out::toString);
  }

  private static boolean inotifywaitInstalled() {
    return Stream.of("/usr/bin/inotifywait", "/bin/inotifywait", "/usr/local/bin/inotifywait")
        .anyMatch(p -> Files.isExecutable(Path.of(p)));
  }
}

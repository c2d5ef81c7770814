package io.watchsync.agent.inotifywait;

import static io.watchsync.agent.inotify.InotifyMask.IN_ACCESS;
import static io.watchsync.agent.inotify.InotifyMask.IN_CLOSE_NOWRITE;
import static io.watchsync.agent.inotify.InotifyMask.IN_CLOSE_WRITE;
import static io.watchsync.agent.inotify.InotifyMask.IN_CREATE;
import static io.watchsync.agent.inotify.InotifyMask.IN_ISDIR;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_FROM;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVE_SELF;
import static io.watchsync.agent.inotify.InotifyMask.IN_OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Event names, --format, --csv and --timefmt, as inotifywait prints them. */
class WatchFormatTest {
  private static final ZonedDateTime WHEN =
      Instant.ofEpochSecond(1795524246).atZone(ZoneId.of("UTC"));

  private static String format(String fmt, String watched, String name, int mask) {
    return EventFormat.custom(fmt, "%H:%M", false, () -> WHEN).format(watched, name, mask);
  }

  @Test
  void combinedFlagsPrintInInotifywaitsOrder() {
    assertEquals("CLOSE_WRITE,CLOSE", EventNames.describe(IN_CLOSE_WRITE, ','));
    assertEquals(
        "CLOSE_NOWRITE,CLOSE,ISDIR", EventNames.describe(IN_CLOSE_NOWRITE | IN_ISDIR, ','));
    assertEquals("CREATE,ISDIR", EventNames.describe(IN_CREATE | IN_ISDIR, ','));
    assertEquals("MOVED_FROM:ISDIR", EventNames.describe(IN_MOVED_FROM | IN_ISDIR, ':'));
    assertEquals(
        "ACCESS OPEN MOVE_SELF", EventNames.describe(IN_ACCESS | IN_OPEN | IN_MOVE_SELF, ' '));
  }

  @Test
  void eventNamesParseCaseInsensitivelyAndCommaSeparated() {
    assertEquals(IN_CREATE | IN_CLOSE_WRITE, EventNames.parse("create,CLOSE_WRITE"));
    assertEquals(IN_CLOSE_WRITE | IN_CLOSE_NOWRITE, EventNames.parse("close"));
    assertEquals(0, EventNames.parse("create,"), "a trailing comma voids the argument");
    assertEquals(0, EventNames.parse(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EventNames.parse("create,nope"));
    assertEquals(
        "'create,nope' is not a valid event!  Run with the '--help' option to see a list of"
            + " events.",
        e.getMessage());
  }

  @Test
  void theDefaultLineIsWatchedEventsName() {
    EventFormat standard = EventFormat.standard();
    assertEquals("/backup/dir/ CREATE file\n", standard.format("/backup/dir/", "file", IN_CREATE));
    assertEquals(
        "/backup/ CREATE,ISDIR dir\n", standard.format("/backup/", "dir", IN_CREATE | IN_ISDIR));
    assertEquals("/backup/ OPEN,ISDIR \n", standard.format("/backup/", null, IN_OPEN | IN_ISDIR));
  }

  @Test
  void formatConversionsFollowLibinotifytools() {
    int mask = IN_CLOSE_WRITE;
    assertEquals("/d/f", format("%w%f", "/d/", "f", mask));
    assertEquals("CLOSE_WRITE:CLOSE", format("%:e", "/d/", "f", mask));
    assertEquals("CLOSE_WRITE CLOSE", format("% e", "/d/", "f", mask));
    assertEquals("12:44 /d/f", format("%T %w%f", "/d/", "f", mask));
    assertEquals("100% f", format("100%% %f", "/d/", "f", mask));
    assertEquals("\ne", format("%ne", "/d/", "f", mask), "%n comes before %Xe");
    assertEquals("\0", format("%0", "/d/", "f", mask));
    assertEquals("%q and %", format("%q and %", "/d/", "f", mask), "unknown ones stay as typed");
    assertEquals("/d/e", format("%we", "/d/", "f", mask));
    assertEquals("", format("%w", null, "f", mask), "an unknown watch prints nothing");
  }

  @Test
  void formatLinesEndWithANewlineUnlessAskedNot() {
    assertEquals("f\n", EventFormat.custom("%f", null, true, () -> WHEN).format("/d/", "f", 1));
    assertEquals("f", EventFormat.custom("%f", null, false, () -> WHEN).format("/d/", "f", 1));
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    EventFormat csv = EventFormat.csv();
    assertEquals("/d/,CREATE,plain\n", csv.format("/d/", "plain", IN_CREATE));
    assertEquals(
        "/d/,\"CLOSE_WRITE,CLOSE\",\"a \"\"b\"\"\"\n",
        csv.format("/d/", "a \"b\"", IN_CLOSE_WRITE));
    assertEquals("/d/f,OPEN,\n", csv.format("/d/f", null, IN_OPEN));
    assertEquals("\" lead\"", EventFormat.csvField(" lead"));
  }

  @Test
  void strftimeConversionsMatchGnuDate() throws Exception {
    String fmt =
        "%y %Y %m %d %H %M %S %F %T %s %j %a %A %b %B %h %e %Z %z %p %P %D %R %r %c %x %X %C %I"
            + " %k %l %u %w %U %W %V %G %g %-d %_H %^a %Oy %%";
    String ours = new Strftime(fmt).format(WHEN);
    assertEquals(
        "26 2026 11 24 12 44 06 2026-11-24 12:44:06 1795524246 328 Tue Tuesday Nov November Nov 24"
            + " UTC +0000 PM pm 11/24/26 12:44 12:44:06 PM Tue Nov 24 12:44:06 2026 11/24/26"
            + " 12:44:06 20 12 12 12 2 2 47 47 48 2026 26 24 12 TUE 26 %",
        ours);
    Path date = Path.of("/usr/bin/date");
    assumeTrue(Files.isExecutable(date), "GNU date is not installed");
    ProcessBuilder pb =
        new ProcessBuilder(List.of(date.toString(), "-d", "@1795524246", "+" + fmt));
    pb.environment().put("TZ", "UTC");
    pb.environment().put("LC_ALL", "C");
    Process p = pb.start();
    String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    assertEquals(theirs, ours, "GNU date's strftime");
  }

  @Test
  void strftimeCopiesUnknownConversionsAsGlibcDoes() {
    // GNU date's own %q (the quarter) is not glibc's: inotifywait prints "%q" as it is.
    assertEquals("%q %E|", new Strftime("%q %E|").format(WHEN));
  }

  @Test
  void strftimeKeepsPaddingRulesAtTheEdges() {
    ZonedDateTime early = ZonedDateTime.of(2024, 1, 5, 0, 7, 9, 0, ZoneId.of("UTC"));
    assertEquals(" 5|05|12| 0|12|005", new Strftime("%e|%d|%I|%k|%l|%j").format(early));
    ZonedDateTime offset = ZonedDateTime.of(2024, 7, 1, 9, 0, 0, 0, ZoneId.of("-03:30"));
    assertEquals("-0330 AM", new Strftime("%z %p").format(offset));
  }

  @Test
  void excludeRegexesMatchAnywhereInThePathAsRegexecDoes() throws Exception {
    WaitOptions o = WaitOptions.builder().excludes(List.of("\\.swp$")).paths(List.of("/d")).build();
    assertEquals(true, o.filter().drops("/d/.x.swp"));
    assertEquals(false, o.filter().drops("/d/x.swp.txt"));
    WaitOptions digits =
        WaitOptions.builder().includeis(List.of("LOG[[:digit:]]+")).paths(List.of("/d")).build();
    assertEquals(false, digits.filter().drops("/d/app.log12"));
    assertEquals(true, digits.filter().drops("/d/app.log"));
  }

  @Test
  void severalExcludesWarnAndTheLastCounts() throws Exception {
    WaitOptions o = WaitOptions.builder().excludes(List.of("a", "b")).paths(List.of("/d")).build();
    assertEquals(
        List.of("--exclude: only the last option will be taken into consideration."), o.warnings());
    assertEquals(false, o.filter().drops("/d/a"));
    assertEquals(true, o.filter().drops("/d/b"));
  }
}

package io.watchsync.agent.cli;

import io.watchsync.agent.inotifywait.InotifyWait;
import io.watchsync.agent.inotifywait.WaitOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code watchsync watch}: inotifywait's options and output, so scripts change only the command
 * name. Single-valued options are lists because inotifywait lets the last one win (or names the
 * repetition as its error); {@link WaitOptions} decides.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    exitCodeOnInvalidInput = InotifyWait.FAILURE,
    description = {
      "Waits for changes to files, printing them as inotify-tools' inotifywait does: the same"
          + " options, the same lines, the same exit codes.",
      "Exit 0 when an event asked for arrived, 1 on error (or when the watched file went away),"
          + " 2 when -t passed without an event."
    })
public final class WatchCommand implements Callable<Integer> {
  @Option(
      names = {"-m", "--monitor"},
      description = "Keep listening for events (default: exit after the first).")
  boolean monitor;

  @Option(
      names = {"-r", "--recursive"},
      description = "Watch directories recursively, new ones as they appear.")
  boolean recursive;

  @Option(
      names = {"-q", "--quiet"},
      description = "Once: no set-up messages. Twice: print nothing, not even events.")
  boolean[] quiet = new boolean[0];

  @Option(
      names = {"-e", "--event"},
      paramLabel = "EVENT",
      description =
          "Repeatable, comma-separated: access, modify, attrib, close_write, close_nowrite,"
              + " close, open, moved_to, moved_from, move, move_self, create, delete,"
              + " delete_self, unmount (default: all).")
  List<String> events = new ArrayList<>();

  @Option(
      names = {"-t", "--timeout"},
      paramLabel = "SECONDS",
      description = "Exit with 2 after this many seconds without an event (0: never) (default: 0).")
  List<String> timeout = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "FMT",
      description =
          "Line format: %%w watched file, %%f name, %%e events, %%Xe events joined by X,"
              + " %%T time (--timefmt), %%n, %%0, %%%%"
              + " (default: \"%%w %%e %%f\", inotifywait's line).")
  List<String> format = new ArrayList<>();

  @Option(
      names = "--timefmt",
      paramLabel = "FMT",
      description = "strftime(3) format for %%T (default: none; %%T needs it).")
  List<String> timefmt = new ArrayList<>();

  @Option(names = "--no-newline", description = "No newline after each --format line.")
  boolean noNewline;

  @Option(
      names = {"-c", "--csv"},
      description = "Print events as CSV.")
  boolean csv;

  @Option(
      names = "--exclude",
      paramLabel = "REGEX",
      description =
          "Drop events whose path (%%w%%f) matches (the last one counts) (default: none).")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--excludei",
      paramLabel = "REGEX",
      description = "--exclude, ignoring case (default: none).")
  List<String> excludei = new ArrayList<>();

  @Option(
      names = "--include",
      paramLabel = "REGEX",
      description = "Drop events whose path (%%w%%f) does not match (default: none).")
  List<String> include = new ArrayList<>();

  @Option(
      names = "--includei",
      paramLabel = "REGEX",
      description = "--include, ignoring case (default: none).")
  List<String> includei = new ArrayList<>();

  @Option(
      names = {"-o", "--outfile"},
      paramLabel = "FILE",
      description = "Append events to FILE instead of standard output (default: standard output).")
  List<String> outfile = new ArrayList<>();

  @Option(
      names = "--fromfile",
      paramLabel = "FILE",
      description =
          "Read files to watch (or @files to exclude), one per line; - for stdin (default: none).")
  List<String> fromfile = new ArrayList<>();

  @Option(
      names = {"-P", "--no-dereference"},
      description = "Do not follow symlinks.")
  boolean noDereference;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..*",
      description =
          "Files or directories to watch; @DIR excludes DIR from a recursive watch (default: none).")
  List<String> files = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    WaitOptions options;
    try {
      options =
          WaitOptions.builder()
              .monitor(monitor)
              .recursive(recursive)
              .quiet(quiet.length)
              .events(events)
              .timeouts(timeout)
              .formats(format)
              .timefmts(timefmt)
              .noNewline(noNewline)
              .csv(csv)
              .excludes(exclude)
              .excludeis(excludei)
              .includes(include)
              .includeis(includei)
              .outfiles(outfile)
              .fromfiles(fromfile)
              .noDereference(noDereference)
              .paths(files)
              .build();
    } catch (WaitOptions.UsageException e) {
      err.println(e.getMessage());
      err.flush();
      return InotifyWait.FAILURE;
    }
    return InotifyWait.run(options, spec.commandLine().getOut(), err);
  }
}

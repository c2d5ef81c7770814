package io.watchsync.agent.inotifywait;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code watchsync watch} was asked to do, checked as inotifywait 3.22 checks its options:
 * {@link Builder#build()} fails with inotifywait's own message for the same mistakes.
 *
 * @param events the events asked for with {@code -e}, or 0 for all
 * @param quiet how many times {@code -q} was given: 1 hides the set-up messages, 2 the events too
 * @param timeoutSeconds {@code -t}; 0 or less waits for ever
 * @param filter {@code --exclude}/{@code --include} and their case-insensitive forms, or null
 * @param format {@code --format}, or null for the default line
 * @param timefmt {@code --timefmt} for {@code %T}, or null
 * @param paths {@code FILE} arguments and {@code --fromfile} lines, as given (with any '@' ones)
 * @param warnings what inotifywait warns about but accepts (several {@code --exclude})
 */
public record WaitOptions(
    boolean monitor,
    boolean recursive,
    int quiet,
    int events,
    long timeoutSeconds,
    PathRegex filter,
    String format,
    String timefmt,
    boolean noNewline,
    boolean csv,
    boolean noDereference,
    String outfile,
    String fromfile,
    List<String> paths,
    List<String> warnings) {

  /** A bad option: the message is inotifywait's, and the exit code is 1 as with inotifywait. */
  public static final class UsageException extends Exception {
    public UsageException(String message) {
      super(message);
    }
  }

  /** {@code --exclude}/{@code --include} compiled: which event paths ({@code %w%f}) to drop. */
  public record PathRegex(Pattern pattern, boolean include) {
    /** True when an event on {@code path} is not reported. */
    public boolean drops(String path) {
      return pattern.matcher(path).find() != include;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the raw option values, in the form the command line gives them. */
  public static final class Builder {
    private boolean monitor;
    private boolean recursive;
    private int quiet;
    private final List<String> events = new ArrayList<>();
    private final List<String> timeouts = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private final List<String> excludeis = new ArrayList<>();
    private final List<String> includes = new ArrayList<>();
    private final List<String> includeis = new ArrayList<>();
    private final List<String> formats = new ArrayList<>();
    private final List<String> timefmts = new ArrayList<>();
    private final List<String> outfiles = new ArrayList<>();
    private final List<String> fromfiles = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private boolean noNewline;
    private boolean csv;
    private boolean noDereference;

    private Builder() {}

    public Builder monitor(boolean on) {
      monitor = on;
      return this;
    }

    public Builder recursive(boolean on) {
      recursive = on;
      return this;
    }

    public Builder quiet(int times) {
      quiet = times;
      return this;
    }

    public Builder events(List<String> arguments) {
      events.addAll(arguments);
      return this;
    }

    public Builder timeouts(List<String> arguments) {
      timeouts.addAll(arguments);
      return this;
    }

    public Builder excludes(List<String> regexes) {
      excludes.addAll(regexes);
      return this;
    }

    public Builder excludeis(List<String> regexes) {
      excludeis.addAll(regexes);
      return this;
    }

    public Builder includes(List<String> regexes) {
      includes.addAll(regexes);
      return this;
    }

    public Builder includeis(List<String> regexes) {
      includeis.addAll(regexes);
      return this;
    }

    public Builder formats(List<String> arguments) {
      formats.addAll(arguments);
      return this;
    }

    public Builder timefmts(List<String> arguments) {
      timefmts.addAll(arguments);
      return this;
    }

    public Builder outfiles(List<String> arguments) {
      outfiles.addAll(arguments);
      return this;
    }

    public Builder fromfiles(List<String> arguments) {
      fromfiles.addAll(arguments);
      return this;
    }

    public Builder paths(List<String> arguments) {
      paths.addAll(arguments);
      return this;
    }

    public Builder noNewline(boolean on) {
      noNewline = on;
      return this;
    }

    public Builder csv(boolean on) {
      csv = on;
      return this;
    }

    public Builder noDereference(boolean on) {
      noDereference = on;
      return this;
    }

    /** Checks the options in inotifywait's order and with its messages. */
    public WaitOptions build() throws UsageException {
      int mask = 0;
      for (String e : events) {
        try {
          mask |= EventNames.parse(e);
        } catch (IllegalArgumentException bad) {
          throw new UsageException(bad.getMessage());
        }
      }
      long timeout = 0;
      for (String t : timeouts) {
        timeout = parseTimeout(t);
      }
      if (fromfiles.size() > 1) {
        throw new UsageException("Multiple --fromfile options given.");
      }
      if (outfiles.size() > 1) {
        throw new UsageException("Multiple --outfile options given.");
      }
      String exclude = last(excludes);
      String excludei = last(excludeis);
      String include = last(includes);
      String includei = last(includeis);
      String format = last(formats);
      String timefmt = last(timefmts);
      if (exclude != null && excludei != null) {
        throw new UsageException("--exclude and --excludei cannot both be specified.");
      }
      if (include != null && includei != null) {
        throw new UsageException("--include and --includei cannot both be specified.");
      }
      if ((include != null || includei != null) && (exclude != null || excludei != null)) {
        throw new UsageException("include and exclude regexp cannot both be specified.");
      }
      if (format != null && csv) {
        throw new UsageException("-c and --format cannot both be specified.");
      }
      if (format == null && timefmt != null) {
        throw new UsageException("--timefmt cannot be specified without --format.");
      }
      if (format != null && format.contains("%T") && timefmt == null) {
        throw new UsageException("%T is in --format string, but --timefmt was not specified.");
      }
      List<String> warnings = new ArrayList<>();
      if (excludes.size() > 1) {
        warnings.add("--exclude: only the last option will be taken into consideration.");
      }
      if (excludeis.size() > 1) {
        warnings.add("--excludei: only the last option will be taken into consideration.");
      }
      PathRegex filter = null;
      if (exclude != null || excludei != null) {
        filter = new PathRegex(compile(exclude, excludei, "exclude"), false);
      } else if (include != null || includei != null) {
        filter = new PathRegex(compile(include, includei, "include"), true);
      }
      return new WaitOptions(
          monitor,
          recursive,
          quiet,
          mask,
          timeout,
          filter,
          format,
          timefmt,
          noNewline,
          csv,
          noDereference,
          last(outfiles),
          last(fromfiles),
          List.copyOf(paths),
          List.copyOf(warnings));
    }

    private static long parseTimeout(String t) throws UsageException {
      try {
        return Long.parseLong(t.stripLeading());
      } catch (NumberFormatException e) {
        throw new UsageException(
            "'" + t + "' is not a valid timeout value.\nPlease specify a long int value.");
      }
    }

    private static Pattern compile(String sensitive, String insensitive, String which)
        throws UsageException {
      try {
        return sensitive != null
            ? Pattern.compile(PosixRegex.toJava(sensitive))
            : Pattern.compile(
                PosixRegex.toJava(insensitive), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      } catch (PatternSyntaxException e) {
        throw new UsageException("Error in `" + which + "' regular expression.");
      }
    }

    private static String last(List<String> values) {
      return values.isEmpty() ? null : values.get(values.size() - 1);
    }
  }
}

package io.watchsync.agent.inotifywait;

import static io.watchsync.agent.inotify.InotifyMask.IN_CREATE;
import static io.watchsync.agent.inotify.InotifyMask.IN_DONT_FOLLOW;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_FROM;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_TO;

import io.watchsync.agent.fs.DirectoryLister;
import io.watchsync.agent.inotify.Inotify;
import io.watchsync.agent.inotify.InotifyEvent;
import io.watchsync.agent.posix.Errno;
import io.watchsync.agent.posix.LibC;
import io.watchsync.agent.posix.NativeCallException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * inotifywait on the project's inotify binding: sets up the watches, then prints each event as
 * inotifywait would, and keeps a recursive watch up to date as directories come, move and go.
 *
 * <p>It follows inotifywait 3.22 step for step, because scripts depend on the details: a new
 * directory is listed before it is watched (so the listing shows as OPEN/ACCESS/CLOSE_NOWRITE on
 * its parent), a line is printed only after the directory it reports is watched, a directory moved
 * within the tree keeps its watches under the new name, one moved out loses its watch at the next
 * event, and events dropped by {@code --exclude} never reach that logic.
 */
public final class InotifyWait {
  /** An event asked for arrived (without {@code -m}), or {@code -m} ended normally. */
  public static final int EVENT = 0;

  /** An error, or the first event was not one asked for (the watched file went away). */
  public static final int FAILURE = 1;

  /** {@code -t} passed without an event. */
  public static final int TIMEOUT = 2;

  private static final Charset NATIVE = Charset.forName(System.getProperty("sun.jnu.encoding"));
  private static final int IDLE_POLL_MILLIS = 1000;

  private final WaitOptions options;
  private final PrintWriter err;
  private final EventFormat format;
  private final WatchNames watchNames = new WatchNames();
  private final Deque<InotifyEvent> queued = new ArrayDeque<>();
  private Inotify inotify;

  private InotifyWait(WaitOptions options, PrintWriter err) {
    this.options = options;
    this.err = err;
    if (options.csv()) {
      format = EventFormat.csv();
    } else if (options.format() != null) {
      format =
          EventFormat.custom(
              options.format(), options.timefmt(), !options.noNewline(), ZonedDateTime::now);
    } else {
      format = EventFormat.standard();
    }
  }

  /**
   * Runs until the first event (or for ever with {@code -m}) and returns inotifywait's exit code.
   *
   * @param out where events go unless {@code -o} names a file
   * @param err where the set-up messages and errors go
   */
  public static int run(WaitOptions options, PrintWriter out, PrintWriter err) {
    return new InotifyWait(options, err).run(out);
  }

  private int run(PrintWriter stdout) {
    for (String warning : options.warnings()) {
      err.println(warning);
    }
    List<String> files = new ArrayList<>(options.paths());
    if (options.fromfile() != null) {
      try {
        files.addAll(readFromFile(options.fromfile()));
      } catch (IOException e) {
        err.println("Couldn't open " + options.fromfile() + ": " + e.getMessage());
        err.flush();
        return FAILURE;
      }
    }
    List<String> watch = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    for (String f : files) {
      if (f.startsWith("@")) {
        exclude.add(f.substring(1));
      } else {
        watch.add(f);
      }
    }
    if (watch.isEmpty()) {
      err.println("No files specified to watch!");
      err.flush();
      return FAILURE;
    }
    PrintWriter out = stdout;
    if (options.outfile() != null) {
      try {
        out = openOutfile(options.outfile());
      } catch (IOException | InvalidPathException e) {
        err.println("Failed to open output file " + options.outfile());
        err.flush();
        return FAILURE;
      }
    }
    try {
      inotify = Inotify.open();
      return watchAndReport(watch, exclude, out);
    } catch (NativeCallException e) {
      err.println(e.getMessage());
      return FAILURE;
    } finally {
      if (inotify != null) {
        inotify.close();
      }
      if (out != stdout) {
        out.close();
      }
      err.flush();
    }
  }

  private int watchAndReport(List<String> watch, List<String> exclude, PrintWriter out)
      throws NativeCallException {
    int events = options.events() == 0 ? EventNames.ALL_EVENTS : options.events();
    int asked = events;
    if (options.monitor() && options.recursive()) {
      events |= IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM;
    }
    if (options.noDereference()) {
      events |= IN_DONT_FOLLOW;
    }
    if (options.quiet() == 0) {
      err.println(
          options.recursive()
              ? "Setting up watches.  Beware: since -r was given, this may take a while!"
              : "Setting up watches.");
      err.flush();
    }
    for (String file : watch) {
      try {
        if (options.recursive()) {
          watchRecursively(file, events, exclude);
        } else {
          watchFile(file, events);
        }
      } catch (NativeCallException e) {
        if (e.errno() == Errno.ENOSPC) {
          err.println("Failed to watch " + file + "; upper limit on inotify watches reached!");
          err.println(
              "Please increase the amount of inotify watches allowed per user via"
                  + " `/proc/sys/fs/inotify/max_user_watches'.");
        } else {
          err.println("Couldn't watch " + file + ": " + strerror(e.errno()));
        }
        return FAILURE;
      }
    }
    if (options.quiet() == 0) {
      err.println("Watches established.");
      err.flush();
    }

    String movedFrom = null;
    InotifyEvent event;
    do {
      event = next();
      if (event == null) {
        return TIMEOUT;
      }
      String watched = watchNames.name(event.wd());
      String name = event.hasName() ? new String(event.name(), NATIVE) : null;
      String line = null;
      if (options.quiet() < 2 && (event.mask() & asked) != 0) {
        line = format.format(watched, name, event.mask());
      }

      if (movedFrom != null && !event.is(IN_MOVED_TO)) {
        // The directory moved away did not arrive anywhere watched: it left the tree.
        int wd = watchNames.remove(movedFrom);
        if (wd >= 0) {
          inotify.removeWatch(wd);
        }
        movedFrom = null;
      }
      if (options.monitor() && options.recursive()) {
        String path = (watched == null ? "" : watched) + (name == null ? "" : name);
        if (event.is(IN_CREATE) || (movedFrom == null && event.is(IN_MOVED_TO))) {
          if (isDirectory(path)) {
            try {
              watchRecursively(path, events, List.of());
            } catch (NativeCallException e) {
              err.println("Couldn't watch new directory " + path + ": " + strerror(e.errno()));
              err.flush();
            }
          }
        } else if (event.is(IN_MOVED_FROM)) {
          movedFrom = watchNames.isWatched(path + "/") ? path + "/" : null;
        } else if (event.is(IN_MOVED_TO)) {
          watchNames.replacePrefix(movedFrom, path + "/");
          movedFrom = null;
        }
      }

      if (line != null) {
        out.print(line);
        out.flush();
        if (out.checkError()) {
          return FAILURE;
        }
      }
    } while (options.monitor());
    return (events & event.mask()) == 0 ? FAILURE : EVENT;
  }

  /** The next event not dropped by the path filter, or null when {@code -t} passes first. */
  private InotifyEvent next() throws NativeCallException {
    long timeoutMillis = options.timeoutSeconds() > 0 ? options.timeoutSeconds() * 1000 : 0;
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      while (queued.isEmpty()) {
        int wait = IDLE_POLL_MILLIS;
        if (timeoutMillis > 0) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            return null;
          }
          wait = (int) Math.min(left, IDLE_POLL_MILLIS);
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new NativeCallException("poll", "inotify (interrupted)", Errno.EINTR);
        }
        if (inotify.awaitEvents(wait)) {
          queued.addAll(inotify.read());
        }
      }
      InotifyEvent event = queued.poll();
      WaitOptions.PathRegex filter = options.filter();
      if (filter != null) {
        String watched = watchNames.name(event.wd());
        String path = (watched == null ? "" : watched) + new String(event.name(), NATIVE);
        if (filter.drops(path)) {
          // inotifywait starts its timeout again after an event it ignores.
          deadline = System.nanoTime() + timeoutMillis * 1_000_000;
          continue;
        }
      }
      return event;
    }
  }

  private void watchFile(String file, int mask) throws NativeCallException {
    byte[] bytes = file.getBytes(NATIVE);
    int wd = inotify.addWatch(Arrays.copyOf(bytes, bytes.length + 1), mask, file);
    watchNames.add(wd, isDirectory(file) && !file.endsWith("/") ? file + "/" : file);
  }

  /**
   * Watches {@code dir} and every directory below it (not following symlinks), except those in
   * {@code exclude}. Like inotifywait, it lists a directory before watching it, and passes over
   * subdirectories that vanish or cannot be read.
   */
  private void watchRecursively(String dir, int mask, List<String> exclude)
      throws NativeCallException {
    List<DirectoryLister.Entry> entries;
    try {
      entries = DirectoryLister.list(dir.getBytes(NATIVE));
    } catch (NativeCallException e) {
      if (e.errno() == Errno.ENOTDIR) {
        watchFile(dir, mask);
        return;
      }
      throw e;
    }
    String base = dir.endsWith("/") ? dir : dir + "/";
    for (DirectoryLister.Entry entry : entries) {
      if (!entry.isDirectory()) {
        continue;
      }
      String sub = base + new String(entry.name(), NATIVE) + "/";
      if (isExcluded(sub, exclude)) {
        continue;
      }
      try {
        watchRecursively(sub, mask, exclude);
      } catch (NativeCallException e) {
        if (e.errno() != Errno.EACCES && e.errno() != Errno.ENOENT && e.errno() != Errno.ELOOP) {
          throw e;
        }
      }
    }
    watchFile(base, mask);
  }

  private static boolean isExcluded(String dirWithSlash, List<String> exclude) {
    String dir = dirWithSlash.substring(0, dirWithSlash.length() - 1);
    for (String e : exclude) {
      String x = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
      if (x.equals(dir)) {
        return true;
      }
    }
    return false;
  }

  /** lstat, not open: opening a directory would itself be an event on the watches. */
  private static boolean isDirectory(String path) {
    try {
      return !path.isEmpty() && Files.isDirectory(Path.of(path), LinkOption.NOFOLLOW_LINKS);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static String strerror(int errno) {
    String text = LibC.INSTANCE.strerror(errno);
    return text == null ? "errno " + errno : text;
  }

  private static List<String> readFromFile(String fromfile) throws IOException {
    Reader reader =
        "-".equals(fromfile)
            ? new InputStreamReader(System.in, NATIVE)
            : Files.newBufferedReader(Path.of(fromfile), NATIVE);
    List<String> lines = new ArrayList<>();
    BufferedReader in = new BufferedReader(reader);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (!line.isEmpty()) {
        lines.add(line);
      }
    }
    if (!"-".equals(fromfile)) {
      in.close();
    }
    return lines;
  }

  /** Appends, creating the file with mode 0600 as inotifywait does. */
  private static PrintWriter openOutfile(String file) throws IOException {
    var channel =
        Files.newByteChannel(
            Path.of(file),
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(channel), NATIVE));
  }
}

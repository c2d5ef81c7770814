package io.watchsync.agent.watch;

import static io.watchsync.agent.inotify.InotifyMask.IN_ATTRIB;
import static io.watchsync.agent.inotify.InotifyMask.IN_CLOSE_WRITE;
import static io.watchsync.agent.inotify.InotifyMask.IN_CREATE;
import static io.watchsync.agent.inotify.InotifyMask.IN_DELETE;
import static io.watchsync.agent.inotify.InotifyMask.IN_DELETE_SELF;
import static io.watchsync.agent.inotify.InotifyMask.IN_DONT_FOLLOW;
import static io.watchsync.agent.inotify.InotifyMask.IN_EXCL_UNLINK;
import static io.watchsync.agent.inotify.InotifyMask.IN_IGNORED;
import static io.watchsync.agent.inotify.InotifyMask.IN_MODIFY;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_FROM;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVED_TO;
import static io.watchsync.agent.inotify.InotifyMask.IN_MOVE_SELF;
import static io.watchsync.agent.inotify.InotifyMask.IN_ONLYDIR;
import static io.watchsync.agent.inotify.InotifyMask.IN_Q_OVERFLOW;
import static io.watchsync.agent.inotify.InotifyMask.IN_UNMOUNT;

import io.watchsync.agent.fs.DirectoryLister;
import io.watchsync.agent.fs.PathFilter;
import io.watchsync.agent.fs.RelPath;
import io.watchsync.agent.inotify.Inotify;
import io.watchsync.agent.inotify.InotifyEvent;
import io.watchsync.agent.inotify.InotifyLimits;
import io.watchsync.agent.inotify.WatchLimitException;
import io.watchsync.agent.posix.Errno;
import io.watchsync.agent.posix.NativeCallException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches a directory tree with one inotify watch per directory and tells a {@link ChangeSink} what
 * changed, as paths relative to the root. Symlinks are never followed.
 *
 * <p>A new directory is watched before it is listed, so nothing created in it in between is missed.
 * The two halves of a rename are paired by cookie; a rename out of the tree is a delete, a rename
 * into it a new subtree. When the kernel drops events the watcher re-walks the tree, fixes its
 * watches and reports the loss, which the replication answers with a full sync.
 */
public final class TreeWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("watchsync.watch");

  static final int DIRECTORY_MASK =
      IN_MODIFY
          | IN_ATTRIB
          | IN_CLOSE_WRITE
          | IN_MOVED_FROM
          | IN_MOVED_TO
          | IN_CREATE
          | IN_DELETE
          | IN_DELETE_SELF
          | IN_MOVE_SELF
          | IN_ONLYDIR
          | IN_DONT_FOLLOW
          | IN_EXCL_UNLINK;

  private static final int IDLE_POLL_MILLIS = 200;

  /** Threads that watch the tree at start-up, at most. */
  private static final int START_THREADS = 4;

  /** Told about problems. A fatal one has stopped the watcher. */
  @FunctionalInterface
  public interface ErrorListener {
    void error(Throwable error, boolean fatal);
  }

  private final Path root;
  private final byte[] rootBytes;
  private final PathFilter filter;
  private final ChangeSink sink;
  private final ErrorListener errors;
  private final Consumer<String> rootLost;
  private final int pairingWaitMillis;

  private final WatchTable byWd = new WatchTable();
  private final Map<Integer, PendingMove> pendingMoves = new LinkedHashMap<>();
  private final Object suspension = new Object();
  private Inotify inotify;
  private WatchNode rootNode;
  private Thread reader;
  private long generation;
  private boolean starting;
  private boolean limitReported;
  private volatile int watched;
  private volatile boolean suspended;
  private volatile boolean closed;

  /** The first half of a rename, waiting for its second half. */
  private record PendingMove(
      WatchNode parent, byte[] name, RelPath path, boolean directory, long generation) {}

  private TreeWatcher(Builder b) {
    this.root = b.root.toAbsolutePath().normalize();
    this.rootBytes = DirectoryLister.nativeBytes(root);
    this.filter = b.filter;
    this.sink = b.sink;
    this.errors = b.errors;
    this.rootLost = b.rootLost;
    this.pairingWaitMillis = (int) b.pairingWait.toMillis();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link TreeWatcher}. Root and sink are required. */
  public static final class Builder {
    private Path root;
    private PathFilter filter = PathFilter.NONE;
    private ChangeSink sink;
    private ErrorListener errors = (e, fatal) -> LOG.log(Level.WARNING, e.getMessage(), e);
    private Consumer<String> rootLost;
    private Duration pairingWait = Duration.ofMillis(5);

    private Builder() {}

    public Builder root(Path root) {
      this.root = root;
      return this;
    }

    public Builder filter(PathFilter filter) {
      this.filter = filter;
      return this;
    }

    public Builder sink(ChangeSink sink) {
      this.sink = sink;
      return this;
    }

    public Builder errorListener(ErrorListener errors) {
      this.errors = errors;
      return this;
    }

    /**
     * Told, instead of a fatal error, when the root itself goes: unmounted, deleted, moved, or its
     * watch dropped by the kernel. The watcher has stopped; the message says what happened.
     */
    public Builder onRootLost(Consumer<String> listener) {
      this.rootLost = listener;
      return this;
    }

    /** How long to wait for the second half of a rename before calling it a move out. */
    public Builder pairingWait(Duration wait) {
      this.pairingWait = wait;
      return this;
    }

    public TreeWatcher build() {
      Objects.requireNonNull(root, "root");
      Objects.requireNonNull(sink, "sink");
      return new TreeWatcher(this);
    }
  }

  /**
   * Watches every directory of the tree, then starts reading events on a thread of its own.
   *
   * @throws WatchLimitException when {@code fs.inotify.max_user_watches} is too low for the tree
   * @throws IOException when the root cannot be watched or listed
   */
  public void start() throws IOException {
    inotify = Inotify.open();
    starting = true;
    try {
      rootNode = watch(null, null, RelPath.ROOT, null);
      if (rootNode == null) {
        throw new IOException(root + " is not a directory (or vanished)");
      }
      watchTreeAtStart();
    } catch (IOException | RuntimeException e) {
      inotify.close();
      throw e;
    } finally {
      starting = false;
    }
    reader = new Thread(this::readLoop, "watchsync-inotify");
    reader.setDaemon(true);
    reader.start();
  }

  /** Number of directories watched. */
  public int watchedDirectories() {
    return watched;
  }

  /** Stops reading events until {@link #resumeReading()}; the kernel queues them meanwhile. */
  public void suspendReading() {
    suspended = true;
  }

  public void resumeReading() {
    synchronized (suspension) {
      suspended = false;
      suspension.notifyAll();
    }
  }

  @Override
  public void close() {
    closed = true;
    resumeReading();
    if (reader != null && reader != Thread.currentThread()) {
      try {
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (inotify != null) {
      inotify.close();
    }
  }

  // ---- reading ----

  private void readLoop() {
    try {
      while (!closed) {
        waitWhileSuspended();
        if (closed || !inotify.awaitEvents(IDLE_POLL_MILLIS)) {
          continue;
        }
        handle(inotify.read());
        while (!pendingMoves.isEmpty() && !closed) {
          flushMovesOlderThan(generation);
          if (pendingMoves.isEmpty() || !inotify.awaitEvents(pairingWaitMillis)) {
            break;
          }
          handle(inotify.read());
        }
        flushMovesOlderThan(Long.MAX_VALUE);
      }
    } catch (NativeCallException e) {
      if (!closed) {
        errors.error(e, true);
      }
    } catch (FatalWatchError e) {
      if (e.rootLost && rootLost != null) {
        rootLost.accept(e.getMessage());
      } else {
        errors.error(e, true);
      }
    } catch (RuntimeException e) {
      errors.error(new IOException("the inotify reader stopped: " + e, e), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitWhileSuspended() throws InterruptedException {
    synchronized (suspension) {
      while (suspended && !closed) {
        suspension.wait();
      }
    }
  }

  private void handle(List<InotifyEvent> events) {
    generation++;
    for (InotifyEvent e : events) {
      if (LOG.isLoggable(Level.FINEST)) {
        LOG.finest(e.toString());
      }
      try {
        handle(e);
      } catch (FatalWatchError fatal) {
        throw fatal;
      } catch (RuntimeException | IOException ex) {
        errors.error(new IOException("while handling " + e + ": " + ex.getMessage(), ex), false);
      }
    }
  }

  private void handle(InotifyEvent e) throws IOException {
    if (e.is(IN_Q_OVERFLOW)) {
      overflow();
      return;
    }
    WatchNode node = byWd.get(e.wd());
    if (node == null) {
      return;
    }
    if (!e.hasName()) {
      handleSelf(node, e);
      return;
    }
    RelPath dir = node.path(rootNode);
    if (dir == null) {
      return;
    }
    RelPath path = dir.resolve(e.name());
    boolean isDir = e.isDirectory();
    if (e.is(IN_MOVED_FROM)) {
      if (!filter.excludes(path, isDir)) {
        pendingMoves.put(e.cookie(), new PendingMove(node, e.name(), path, isDir, generation));
      }
      return;
    }
    if (e.is(IN_MOVED_TO)) {
      movedTo(node, e.name(), dir, path, isDir, pendingMoves.remove(e.cookie()));
      return;
    }
    if (filter.excludes(path, isDir)) {
      return;
    }
    if (e.is(IN_CREATE)) {
      if (isDir) {
        // A new directory: whatever was created in it before its watch existed is found by the
        // listing and sent path by path; everything later comes with its own events.
        sink.changed(path);
        WatchNode added = watch(node, e.name(), path, null);
        if (added != null) {
          watchBelow(added, path, null, true);
        }
        directoryChanged(dir);
      } else if (DirectoryLister.isSymlink(path.toNative(rootBytes))) {
        sink.changed(path);
        directoryChanged(dir);
      } else {
        // The parent goes with the close, so its time is set after the file landed in it.
        sink.writing(path);
      }
    } else if (e.is(IN_DELETE)) {
      if (isDir) {
        node.detachChild(e.name());
      }
      sink.changed(path);
      directoryChanged(dir);
    } else if (e.is(IN_MODIFY)) {
      sink.writing(path);
    } else if (e.is(IN_CLOSE_WRITE)) {
      sink.changed(path);
      directoryChanged(dir);
    } else if (e.is(IN_ATTRIB)) {
      sink.changed(path);
    }
  }

  private void handleSelf(WatchNode node, InotifyEvent e) {
    if (e.is(IN_IGNORED)) {
      forget(node);
      if (node == rootNode) {
        throw FatalWatchError.rootLost(root + ": the kernel dropped the watch on the root");
      }
    } else if (node == rootNode && e.is(IN_DELETE_SELF)) {
      throw FatalWatchError.rootLost(root + " was deleted: nothing left to replicate");
    } else if (node == rootNode && e.is(IN_MOVE_SELF)) {
      throw FatalWatchError.rootLost(root + " was moved or renamed: restart with its new path");
    } else if (node == rootNode && e.is(IN_UNMOUNT)) {
      throw FatalWatchError.rootLost("the file system holding " + root + " was unmounted");
    } else if (e.is(IN_ATTRIB)) {
      RelPath p = node.path(rootNode);
      if (p != null) {
        directoryChanged(p);
      }
    }
  }

  private void movedTo(
      WatchNode node, byte[] name, RelPath dir, RelPath path, boolean isDir, PendingMove from)
      throws IOException {
    if (filter.excludes(path, isDir)) {
      if (from != null) {
        movedOut(from);
      }
      return;
    }
    if (from == null) {
      arrived(node, name, path, isDir);
    } else if (isDir) {
      WatchNode moved = from.parent().child(from.name());
      if (moved == null) {
        sink.changed(from.path());
        arrived(node, name, path, true);
      } else {
        moved.attachTo(node, name);
        sink.directoryMoved(from.path(), path);
        verifyMoved(moved, node, name, path);
      }
      directoryChanged(from.path().parent());
    } else {
      sink.changed(from.path());
      sink.changed(path);
      directoryChanged(from.path().parent());
    }
    directoryChanged(dir);
  }

  /**
   * A directory's own entry changed (a name in it came or went, its mode changed). The root is left
   * to full syncs: rsync reads a bare "." in a file list as "this directory and the files in it",
   * which would send every top-level file again.
   */
  private void directoryChanged(RelPath dir) {
    if (!dir.isRoot()) {
      sink.changed(dir);
    }
  }

  /**
   * Re-walks a directory just renamed inside the tree. Watches are added by path when events are
   * read, which can be well after they happened: a subdirectory created just before the rename was
   * looked up under the old name (and missed, or found a newcomer of the same name), and a
   * directory created, renamed away and replaced by a new one of the same name had its watch put on
   * the newcomer. Asking the kernel for the watch at every path below the new name puts each node
   * back on its real directory; anything that was not watched is watched now and the whole
   * directory is sent again, since its events were lost.
   */
  private void verifyMoved(WatchNode moved, WatchNode parent, byte[] name, RelPath path)
      throws IOException {
    int before = byWd.size();
    WatchNode actual = watch(parent, name, path, null);
    if (actual == null) {
      return; // gone again: its own events follow
    }
    if (actual != moved) {
      moved.detachFromParent();
    }
    watchBelow(actual, path, null, false);
    if (actual != moved || byWd.size() != before) {
      sink.subtreeAppeared(path);
    }
  }

  /** Something came in from outside the tree (or from an excluded place). */
  private void arrived(WatchNode node, byte[] name, RelPath path, boolean isDir)
      throws IOException {
    if (isDir) {
      WatchNode added = watch(node, name, path, null);
      if (added != null) {
        watchBelow(added, path, null, false);
      }
      sink.subtreeAppeared(path);
    } else {
      sink.changed(path);
    }
  }

  /** The first half of a rename never got its second: the thing left the tree. */
  private void movedOut(PendingMove m) {
    if (m.directory()) {
      WatchNode gone = m.parent().child(m.name());
      if (gone != null) {
        for (WatchNode n : gone.subtree()) {
          inotify.removeWatch(n.wd);
          forget(n);
        }
      }
    }
    sink.changed(m.path());
    directoryChanged(m.path().parent());
  }

  private void flushMovesOlderThan(long gen) {
    Iterator<PendingMove> it = pendingMoves.values().iterator();
    while (it.hasNext()) {
      PendingMove m = it.next();
      if (m.generation() < gen) {
        it.remove();
        movedOut(m);
      }
    }
  }

  /** The kernel dropped events: re-walk the tree, fix the watches, report the loss. */
  private void overflow() throws IOException {
    LOG.warning(
        "inotify queue overflow under "
            + root
            + ": rescanning and scheduling a full sync (raise fs.inotify.max_queued_events"
            + " if this repeats)");
    for (PendingMove m : pendingMoves.values()) {
      sink.changed(m.path());
    }
    pendingMoves.clear();
    rescan();
    sink.eventsLost(RelPath.ROOT);
  }

  private void rescan() throws IOException {
    Set<Integer> seen = new HashSet<>();
    seen.add(rootNode.wd);
    watchBelow(rootNode, RelPath.ROOT, seen, false);
    for (WatchNode n : byWd.nodes()) {
      if (!seen.contains(n.wd)) {
        inotify.removeWatch(n.wd);
        forget(n);
      }
    }
  }

  // ---- watches ----

  /**
   * Watches {@code dir} and, depth first, every directory below it (each before listing it).
   *
   * @param reportContents tell the sink about every entry found, for a directory that was just
   *     created: those entries may have come before the watch and have no events of their own
   */
  private void watchBelow(WatchNode dirNode, RelPath dir, Set<Integer> seen, boolean reportContents)
      throws IOException {
    Deque<Dir> todo = new ArrayDeque<>();
    todo.push(new Dir(dirNode, dir));
    while (!todo.isEmpty()) {
      watchChildren(todo.pop(), seen, reportContents, todo::push);
    }
  }

  /** A watched directory whose subdirectories are still to be watched. */
  private record Dir(WatchNode node, RelPath path) {}

  /**
   * Watches the whole tree at start-up, on as many threads as there are cores (at most {@value
   * #START_THREADS}): on a large tree nearly all the time goes to the kernel, listing directories
   * and adding watches, which runs on every core at once.
   */
  private void watchTreeAtStart() throws IOException {
    int threads = Math.min(START_THREADS, Runtime.getRuntime().availableProcessors());
    ParallelWalk.walk(
        new Dir(rootNode, RelPath.ROOT),
        threads,
        "watchsync-watch",
        (dir, children) -> watchChildren(dir, null, false, children));
  }

  /**
   * Lists {@code dir} and watches each subdirectory in it, passing each to {@code found}.
   *
   * @param reportContents tell the sink about every entry, for a directory that was just created
   */
  private void watchChildren(
      Dir dir, Set<Integer> seen, boolean reportContents, Consumer<Dir> found) throws IOException {
    List<DirectoryLister.Entry> entries;
    try {
      entries = DirectoryLister.listTerminated(dir.path.toNative(rootBytes));
    } catch (NativeCallException e) {
      if (vanished(e)) {
        return;
      }
      if (starting) {
        throw e;
      }
      errors.error(e, false);
      return;
    }
    for (DirectoryLister.Entry entry : entries) {
      RelPath child = dir.path.resolve(entry.name());
      if (filter.excludes(child, entry.isDirectory())) {
        continue;
      }
      if (reportContents) {
        sink.changed(child);
      }
      if (!entry.isDirectory()) {
        continue;
      }
      WatchNode c = watch(dir.node, entry.name(), child, seen);
      if (c != null) {
        found.accept(new Dir(c, child));
      }
    }
  }

  /**
   * Adds the watch for one directory and records it under its parent. Returns null when the
   * directory vanished or cannot be watched (reported).
   */
  private WatchNode watch(WatchNode parent, byte[] name, RelPath path, Set<Integer> seen)
      throws IOException {
    int wd;
    try {
      wd = inotify.addWatch(path.toNative(rootBytes), DIRECTORY_MASK, () -> display(path));
    } catch (NativeCallException e) {
      if (vanished(e)) {
        return null;
      }
      if (e.errno() == Errno.ENOSPC) {
        WatchLimitException limit = watchLimit(display(path));
        if (starting) {
          throw limit;
        }
        if (!limitReported) {
          limitReported = true;
          errors.error(limit, false);
        }
        return null;
      }
      if (starting && parent == null) {
        throw e;
      }
      errors.error(e, false);
      return null;
    }
    if (seen != null && !seen.add(wd)) {
      return null;
    }
    // At start-up several threads watch at once; afterwards only the reader does, uncontended.
    synchronized (byWd) {
      WatchNode node = byWd.get(wd);
      if (node == null) {
        node = new WatchNode(wd);
        byWd.put(node);
        watched = byWd.size();
      }
      if (parent != null) {
        node.attachTo(parent, name);
      }
      return node;
    }
  }

  private WatchLimitException watchLimit(String path) {
    String setting = "fs.inotify.max_user_watches";
    long limit = -1;
    long needed = byWd.size() + 1;
    try {
      InotifyLimits limits = InotifyLimits.read();
      setting = limits.watchSetting();
      limit = limits.maxUserWatches();
      needed = DirectoryLister.countDirectories(root, filter);
    } catch (IOException e) {
      LOG.fine("cannot count what the tree needs: " + e.getMessage());
    }
    return new WatchLimitException(path, setting, limit, needed);
  }

  private static boolean vanished(NativeCallException e) {
    int errno = e.errno();
    return errno == Errno.ENOENT || errno == Errno.ENOTDIR || errno == Errno.ELOOP;
  }

  private void forget(WatchNode node) {
    if (byWd.remove(node.wd) != null) {
      watched = byWd.size();
    }
    node.detachFromParent();
  }

  private String display(RelPath path) {
    return path.isRoot() ? root.toString() : root + "/" + path;
  }

  /** Stops the watcher: the tree it was told to watch is gone. */
  private static final class FatalWatchError extends RuntimeException {
    /** The root itself went: see {@link Builder#onRootLost}. */
    final boolean rootLost;

    FatalWatchError(String message) {
      this(message, false);
    }

    private FatalWatchError(String message, boolean rootLost) {
      super(message);
      this.rootLost = rootLost;
    }

    static FatalWatchError rootLost(String message) {
      return new FatalWatchError(message, true);
    }
  }
}

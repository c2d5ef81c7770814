package io.watchsync.agent.inotify;

import io.watchsync.agent.posix.Errno;
import io.watchsync.agent.posix.LibC;
import io.watchsync.agent.posix.NativeCallException;
import java.util.List;
import java.util.function.Supplier;

/**
 * One inotify instance: a non-blocking descriptor, its watches and a reusable read buffer. Not
 * thread-safe except {@link #close()}; the tree watcher uses it from its reader thread.
 */
public final class Inotify implements AutoCloseable {
  private static final LibC C = LibC.INSTANCE;
  private static final InotifyCalls INOTIFY = InotifyCalls.INSTANCE;
  private static final short POLLIN = 1;

  private final int fd;
  private final byte[] buffer = new byte[256 * 1024];
  private final byte[] pollfd = new byte[8];
  private volatile boolean closed;

  private Inotify(int fd) {
    this.fd = fd;
    java.nio.ByteBuffer.wrap(pollfd)
        .order(java.nio.ByteOrder.nativeOrder())
        .putInt(0, fd)
        .putShort(4, POLLIN);
  }

  /** Opens a non-blocking, close-on-exec instance. */
  public static Inotify open() throws NativeCallException {
    int fd = INOTIFY.inotify_init1(InotifyMask.IN_NONBLOCK | InotifyMask.IN_CLOEXEC);
    if (fd < 0) {
      int errno = Errno.last();
      throw new NativeCallException(
          errno == Errno.EMFILE
              ? "inotify_init1: EMFILE: fs.inotify.max_user_instances reached (or the process is"
                  + " out of file descriptors)"
              : "inotify_init1: " + Errno.describe(errno),
          errno);
    }
    return new Inotify(fd);
  }

  /**
   * Watches {@code path} (NUL-terminated raw bytes) and returns the watch descriptor. Adding a
   * watch to an inode already watched returns its existing descriptor.
   *
   * @param display the path as shown in error messages
   */
  public int addWatch(byte[] path, int mask, String display) throws NativeCallException {
    return addWatch(path, mask, () -> display);
  }

  /**
   * As {@link #addWatch(byte[], int, String)}, the path's name for a message made only when one is
   * needed: a tree of a million directories would otherwise make a million strings for nothing.
   */
  public int addWatch(byte[] path, int mask, Supplier<String> display) throws NativeCallException {
    int wd = INOTIFY.inotify_add_watch(fd, path, mask);
    if (wd < 0) {
      int errno = Errno.last();
      throw new NativeCallException("inotify_add_watch", display.get(), errno);
    }
    return wd;
  }

  /** Removes a watch; a watch the kernel already dropped is not an error. */
  public void removeWatch(int wd) {
    INOTIFY.inotify_rm_watch(fd, wd);
  }

  /** Waits up to {@code timeoutMillis} for events; true when some can be read. */
  public boolean awaitEvents(int timeoutMillis) throws NativeCallException {
    int n = C.poll(pollfd, 1, timeoutMillis);
    if (n < 0) {
      int errno = Errno.last();
      if (errno == Errno.EINTR) {
        return false;
      }
      throw new NativeCallException("poll", "inotify fd " + fd, errno);
    }
    return n > 0;
  }

  /** Reads whatever events are queued (none when the queue is empty). */
  public List<InotifyEvent> read() throws NativeCallException {
    long n = C.read(fd, buffer, buffer.length);
    if (n < 0) {
      int errno = Errno.last();
      if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
        return List.of();
      }
      throw new NativeCallException("read", "inotify fd " + fd, errno);
    }
    return InotifyEvent.parse(buffer, (int) n);
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      C.close(fd);
    }
  }
}

package io.watchsync.agent.source;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Knows what the source was at start, and tells whether it still is: the same directory on the same
 * mount of the same file system, with the same file systems mounted below it. An NFS export whose
 * disk is unmounted shows the empty directory underneath; mirroring that would delete every backup,
 * so nothing may be sent or deleted while {@link #lostBecause()} says the source is not what it
 * was.
 *
 * <p>A directory is known by its device and inode number, and the mount it is seen through by its
 * mount id. Once lost, the source stays lost (every check says so) until {@link #tryRecover()}
 * finds the same directory of the same disk mounted again. A file system without a disk of its own
 * (tmpfs, overlay, NFS) gets a device number, a root inode and a mount id that the kernel hands out
 * again after an unmount, so a fresh tmpfs can look exactly like the old one: such a source is
 * never taken back by itself, only by a restart after the operator has looked.
 *
 * <p>Mounts that appear below the source later are adopted by {@link #adoptNewMounts()}: from then
 * on, their going away counts as a loss too.
 */
public final class SourceGuard implements SourceCheck {

  /**
   * A directory recorded at start.
   *
   * @param path where it is
   * @param identity its device and inode
   * @param mountId the mount it is seen through (mounted on it, or holding it)
   * @param deviceIsReal its file system has a disk of its own (see {@link
   *     MountTable.Mount#hasRealDevice()})
   * @param what what was mounted there, for messages
   */
  private record Recorded(
      Path path, DirectoryIdentity identity, int mountId, boolean deviceIsReal, String what) {
    Recorded withMountId(int id) {
      return new Recorded(path, identity, id, deviceIsReal, what);
    }
  }

  private final Path source;
  private final SourceMountMode mode;
  private final boolean mountPoint;
  private volatile Recorded root;
  private volatile List<Recorded> below;

  /** Why the source was found lost; it stays lost until {@link #tryRecover()}. */
  private volatile String lost;

  private SourceGuard(
      Path source, SourceMountMode mode, Recorded root, boolean mountPoint, List<Recorded> below) {
    this.source = source;
    this.mode = mode;
    this.root = root;
    this.mountPoint = mountPoint;
    this.below = List.copyOf(below);
  }

  /**
   * Records the source as it is now.
   *
   * @throws SourceMountException when the source is not a directory, or {@code mode} is {@link
   *     SourceMountMode#REQUIRED} and the source is not a mount point
   */
  public static SourceGuard record(Path source, SourceMountMode mode) throws SourceMountException {
    Path real;
    DirectoryIdentity identity;
    try {
      real = source.toRealPath();
      identity = DirectoryIdentity.of(source);
    } catch (NoSuchFileException e) {
      throw new SourceMountException("source " + source + " does not exist");
    } catch (IOException e) {
      throw new SourceMountException("source " + source + ": " + e.getMessage());
    }
    MountTable mounts = readMounts();
    MountTable.Mount on = mounts.mountedOn(real);
    if (mode == SourceMountMode.REQUIRED && on == null) {
      throw new SourceMountException(
          "source "
              + source
              + " is not a mount point (source_mount: required); it is "
              + describe(mounts, real)
              + ": mount the export's file system first");
    }
    Recorded root = recorded(source, real, identity, mounts);
    List<Recorded> below = new ArrayList<>();
    if (mode != SourceMountMode.ANY) {
      for (Path p : mounts.mountPointsBelow(real)) {
        try {
          below.add(recorded(p, p, DirectoryIdentity.of(p), mounts));
        } catch (IOException e) {
          // A file bind-mounted over a file, or not reachable: nothing below it to guard.
        }
      }
    }
    return new SourceGuard(source, mode, root, on != null, below);
  }

  private static Recorded recorded(
      Path path, Path real, DirectoryIdentity identity, MountTable mounts) {
    MountTable.Mount m = mounts.holding(real);
    return new Recorded(
        path,
        identity,
        m == null ? -1 : m.id(),
        m != null && m.hasRealDevice(),
        describe(mounts, real));
  }

  /** The configured source. */
  public Path source() {
    return source;
  }

  /** True when the source was a mount point at start. */
  public boolean wasMountPoint() {
    return mountPoint;
  }

  /** What the source was at start: {@code ext4 /dev/sdb1 on /srv/export}. */
  public String describe() {
    return root.what();
  }

  /** How many file systems mounted below the source are watched for going away. */
  public int mountsBelow() {
    return below.size();
  }

  /**
   * The check made before every run: the marked loss, or a directory that is not the one recorded
   * (unmounted, replaced, gone). Only stat calls: the mount table is read just to word a loss.
   */
  @Override
  public String lostBecause() {
    String sticky = lost;
    return sticky != null ? sticky : differences(false);
  }

  /**
   * The check made once a second: as {@link #lostBecause()}, and also a directory now seen through
   * another mount than recorded, i.e. unmounted and mounted again in between (the same data, but
   * whatever changed meanwhile was not seen). Reads the mount table.
   */
  public String lostOrRemounted() {
    String sticky = lost;
    return sticky != null ? sticky : differences(true);
  }

  /**
   * Marks the source lost for {@code why} (the check found it, or the watch saw its file system
   * unmounted): every check says so from now on, until {@link #tryRecover()}.
   */
  public void markLost(String why) {
    if (lost == null) {
      lost = why;
    }
  }

  /** True while the source is marked lost. */
  public boolean isLost() {
    return lost != null;
  }

  /**
   * Takes the source back when it is the same directory of the same disk again, mounted anew or
   * not: the new mounts become the source's, the mark goes, and true is returned (the caller then
   * watches it anew and runs a full sync for whatever changed meanwhile). False, with nothing
   * changed, when anything else differs or the file system has no disk of its own.
   */
  public synchronized boolean tryRecover() {
    if (mode == SourceMountMode.ANY) {
      boolean back = differences(true) == null;
      if (back) {
        lost = null;
      }
      return back;
    }
    MountTable mounts = readMounts();
    Recorded nextRoot = remounted(root, mounts);
    if (nextRoot == null) {
      return false;
    }
    List<Recorded> nextBelow = new ArrayList<>();
    for (Recorded b : below) {
      Recorded n = remounted(b, mounts);
      if (n == null) {
        return false;
      }
      nextBelow.add(n);
    }
    Recorded oldRoot = root;
    List<Recorded> oldBelow = below;
    root = nextRoot;
    below = List.copyOf(nextBelow);
    if (differences(true) != null) {
      root = oldRoot;
      below = oldBelow;
      return false;
    }
    lost = null;
    return true;
  }

  /**
   * True when the source's file systems have disks of their own, so that {@link #tryRecover()} can
   * tell them back; false for tmpfs and the like.
   */
  public boolean recoverable() {
    if (mode == SourceMountMode.ANY) {
      return true;
    }
    return recordedAll().stream().allMatch(Recorded::deviceIsReal);
  }

  private List<Recorded> recordedAll() {
    List<Recorded> all = new ArrayList<>();
    all.add(root);
    all.addAll(below);
    return all;
  }

  /**
   * How the source now differs from the record, in one line; null when it does not. With {@code
   * mounts}, a directory seen through another mount than recorded counts too.
   */
  private String differences(boolean mounts) {
    DirectoryIdentity now;
    try {
      now = DirectoryIdentity.of(source);
    } catch (NoSuchFileException e) {
      return source + " does not exist any more";
    } catch (IOException e) {
      return source + " cannot be read: " + e.getMessage();
    }
    if (mode == SourceMountMode.ANY) {
      return null;
    }
    Recorded r = root;
    if (!now.equals(r.identity())) {
      return source
          + " is no longer the directory it was at start ("
          + r.what()
          + "); now it is "
          + whatIsThereNow(source)
          + (mountPoint ? ": was the file system unmounted?" : "");
    }
    for (Recorded b : below) {
      DirectoryIdentity there;
      try {
        there = DirectoryIdentity.of(b.path());
      } catch (IOException e) {
        there = null;
      }
      if (!b.identity().equals(there)) {
        return b.path()
            + ": the file system mounted there ("
            + b.what()
            + ") is gone; now it is "
            + whatIsThereNow(b.path());
      }
    }
    return mounts ? remountedSince() : null;
  }

  /** The first recorded directory now seen through another mount, in one line; null if none. */
  private String remountedSince() {
    MountTable mounts = readMounts();
    for (Recorded r : recordedAll()) {
      if (mountIdNow(mounts, r.path()) != r.mountId()) {
        return r.path() + " was unmounted and mounted again (" + r.what() + ")";
      }
    }
    return null;
  }

  /** {@code r} with the mount it is seen through now, if that is the same disk's same directory. */
  private static Recorded remounted(Recorded r, MountTable mounts) {
    try {
      if (!DirectoryIdentity.of(r.path()).equals(r.identity())) {
        return null;
      }
      MountTable.Mount m = mounts.holding(r.path().toRealPath());
      if (m == null) {
        return null;
      }
      if (m.id() == r.mountId() && m.hasRealDevice() && r.deviceIsReal()) {
        return r;
      }
      return m.hasRealDevice() && r.deviceIsReal() ? r.withMountId(m.id()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Records the mounts that appeared below the source since it was recorded, so that their going
   * away later holds replication too. Call it only while the source is intact.
   */
  public synchronized void adoptNewMounts() {
    if (mode == SourceMountMode.ANY) {
      return;
    }
    try {
      Path real = source.toRealPath();
      MountTable mounts = MountTable.read();
      List<Recorded> known = below;
      List<Recorded> next = new ArrayList<>(known);
      for (Path p : mounts.mountPointsBelow(real)) {
        if (known.stream().noneMatch(r -> r.path().equals(p))) {
          try {
            next.add(recorded(p, p, DirectoryIdentity.of(p), mounts));
          } catch (IOException e) {
            // Not a directory (a file bind-mounted over a file), or gone already: nothing to guard.
          }
        }
      }
      if (next.size() != known.size()) {
        below = List.copyOf(next);
      }
    } catch (IOException e) {
      // The source cannot be resolved now: lostBecause() says so.
    }
  }

  private static int mountIdNow(MountTable mounts, Path path) {
    try {
      MountTable.Mount m = mounts.holding(path.toRealPath());
      return m == null ? -1 : m.id();
    } catch (IOException e) {
      return -2;
    }
  }

  private static String whatIsThereNow(Path path) {
    try {
      return describe(readMounts(), path.toRealPath());
    } catch (IOException e) {
      return "unreadable (" + e.getMessage() + ")";
    }
  }

  private static String describe(MountTable mounts, Path real) {
    MountTable.Mount on = mounts.mountedOn(real);
    if (on != null) {
      return on.describe();
    }
    MountTable.Mount holding = mounts.holding(real);
    return holding == null ? "an unknown file system" : "a directory of " + holding.describe();
  }

  private static MountTable readMounts() {
    try {
      return MountTable.read();
    } catch (IOException e) {
      return MountTable.parse("");
    }
  }
}

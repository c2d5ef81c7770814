package io.watchsync.agent.source;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Knows what the source was at start, and tells whether it still is: the same directory on the same
 * file system, with the same file systems mounted below it. An NFS export whose disk is unmounted
 * shows the empty directory underneath; mirroring that would delete every backup, so nothing may be
 * sent or deleted while {@link #lostBecause()} says the source is not what it was.
 *
 * <p>Mounts that appear below the source later are adopted by {@link #adoptNewMounts()}: from then
 * on, their going away counts as a loss too.
 */
public final class SourceGuard implements SourceCheck {

  /** A directory recorded at start, and what was mounted there. */
  private record Recorded(Path path, DirectoryIdentity identity, String what) {}

  private final Path source;
  private final SourceMountMode mode;
  private final Recorded root;
  private final boolean mountPoint;
  private volatile List<Recorded> below;

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
      MountTable.Mount holding = mounts.holding(real);
      throw new SourceMountException(
          "source "
              + source
              + " is not a mount point (source_mount: required); it is a directory of "
              + (holding == null ? "an unknown file system" : holding.describe())
              + ": mount the export's file system first");
    }
    Recorded root = new Recorded(source, identity, describe(mounts, real));
    List<Recorded> below = mode == SourceMountMode.ANY ? List.of() : recordBelow(real, mounts);
    return new SourceGuard(source, mode, root, on != null, below);
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

  @Override
  public String lostBecause() {
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
    if (!now.equals(root.identity())) {
      return source
          + " is no longer the directory it was at start ("
          + root.what()
          + "); now it is "
          + whatIsThereNow(source)
          + (mountPoint ? ": was the file system unmounted?" : "");
    }
    for (Recorded r : below) {
      DirectoryIdentity there;
      try {
        there = DirectoryIdentity.of(r.path());
      } catch (IOException e) {
        there = null;
      }
      if (!r.identity().equals(there)) {
        return r.path()
            + ": the file system mounted there ("
            + r.what()
            + ") is gone; now it is "
            + whatIsThereNow(r.path());
      }
    }
    return null;
  }

  /**
   * Records the mounts that appeared below the source since it was recorded, so that their going
   * away later holds replication too. Call it only while the source is intact.
   */
  public void adoptNewMounts() {
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
            next.add(new Recorded(p, DirectoryIdentity.of(p), describe(mounts, p)));
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

  private static List<Recorded> recordBelow(Path real, MountTable mounts) {
    List<Recorded> out = new ArrayList<>();
    for (Path p : mounts.mountPointsBelow(real)) {
      try {
        out.add(new Recorded(p, DirectoryIdentity.of(p), describe(mounts, p)));
      } catch (IOException e) {
        // A file bind-mounted over a file, or not reachable: nothing below it to guard.
      }
    }
    return out;
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

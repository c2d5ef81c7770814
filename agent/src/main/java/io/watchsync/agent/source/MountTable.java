package io.watchsync.agent.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts this process sees, read from {@code /proc/self/mountinfo} (see proc(5)): which file
 * system a path lives on, and which mounts sit below a directory.
 */
public final class MountTable {
  static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  /**
   * One line of mountinfo.
   *
   * @param id the mount's id (a new one for every mount, even of the same file system)
   * @param device the file system's {@code major:minor}
   * @param root the directory of the file system that is mounted (not {@code /} for a bind mount)
   * @param mountPoint where it is mounted
   * @param type the file system type ({@code ext4}, {@code xfs}, {@code nfs4}, {@code tmpfs})
   * @param source what was mounted ({@code /dev/sdb1}, {@code server:/export})
   */
  public record Mount(
      int id, String device, String root, Path mountPoint, String type, String source) {

    /**
     * True when the file system sits on a device of its own (a disk, a partition, a logical
     * volume): its device number names it. tmpfs, overlay, NFS and the like get an anonymous device
     * number (major 0) that the kernel gives out again after an unmount.
     */
    public boolean hasRealDevice() {
      return !device.startsWith("0:");
    }

    /** {@code ext4 /dev/sdb1 on /srv/export}, for logs. */
    public String describe() {
      String what = root.equals("/") ? source : source + "[" + root + "]";
      return type + " " + what + " on " + mountPoint;
    }
  }

  private final List<Mount> mounts;

  private MountTable(List<Mount> mounts) {
    this.mounts = List.copyOf(mounts);
  }

  /** The mounts now. */
  public static MountTable read() throws IOException {
    return parse(Files.readString(MOUNTINFO, StandardCharsets.ISO_8859_1));
  }

  /** Parses mountinfo text; lines it cannot read are skipped. */
  static MountTable parse(String text) {
    List<Mount> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 10 || dash < 6 || dash + 2 >= f.length) {
        continue;
      }
      try {
        out.add(
            new Mount(
                Integer.parseInt(f[0]),
                f[2],
                unescape(f[3]),
                Path.of(unescape(f[4])),
                unescape(f[dash + 1]),
                unescape(f[dash + 2])));
      } catch (RuntimeException e) {
        // A line of a kind this parser does not know; the others still count.
      }
    }
    return new MountTable(out);
  }

  /**
   * The mount whose mount point is {@code dir} itself (the last one mounted there, which hides the
   * others), or null when {@code dir} is not a mount point. {@code dir} must be a real path.
   */
  public Mount mountedOn(Path dir) {
    Mount found = null;
    for (Mount m : mounts) {
      if (m.mountPoint().equals(dir)) {
        found = m;
      }
    }
    return found;
  }

  /**
   * The mount holding {@code path} (a real path): the one with the longest mount point above it.
   */
  public Mount holding(Path path) {
    Mount found = null;
    for (Mount m : mounts) {
      if (path.startsWith(m.mountPoint())
          && (found == null
              || m.mountPoint().getNameCount() >= found.mountPoint().getNameCount())) {
        found = m;
      }
    }
    return found;
  }

  /** The mount points strictly below {@code dir} (a real path), each once, shallowest first. */
  public List<Path> mountPointsBelow(Path dir) {
    List<Path> out = new ArrayList<>();
    for (Mount m : mounts) {
      Path p = m.mountPoint();
      if (p.startsWith(dir) && !p.equals(dir) && !out.contains(p)) {
        out.add(p);
      }
    }
    out.sort((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()));
    return out;
  }

  /** mountinfo writes space, tab, newline and backslash in names as {@code \040}-style octal. */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    byte[] raw = field.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\\' && isOctal(raw, i + 1)) {
        out.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
        i += 3;
      } else {
        out.write(raw[i]);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isOctal(byte[] b, int from) {
    for (int i = from; i < from + 3; i++) {
      if (i >= b.length || b[i] < '0' || b[i] > '7') {
        return false;
      }
    }
    return true;
  }
}

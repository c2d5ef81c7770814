package io.watchsync.repo.metadata;

import io.watchsync.repo.rpm.Header;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.rpm.RpmTags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Describes a read RPM as repository metadata, field by field as createrepo_c does, so yum and dnf
 * see the same package whichever tool indexed it.
 */
public final class PackageReader {
  private static final long SENSE_PREREQ = 1 << 6;
  private static final long SENSE_SCRIPT_PRE = 1 << 9;
  private static final long SENSE_SCRIPT_POST = 1 << 10;
  private static final long SENSE_MISSINGOK = 1 << 19;
  private static final long SENSE_STRONG = 1 << 27;
  private static final long FILE_GHOST = 1 << 6;
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;

  private final int changelogLimit;

  /** {@code changelogLimit}: the newest entries kept in other.xml; negative keeps all. */
  public PackageReader(int changelogLimit) {
    this.changelogLimit = changelogLimit;
  }

  /**
   * @param checksumType sha256, sha512 or sha1: how {@code pkgid} was computed
   * @param pkgid the checksum of the whole file
   * @param href the package's path relative to the repository root
   * @param base the base URL packages are fetched from, or null for the repository itself
   * @param mtime the file's modification time, seconds
   */
  public PackageMetadata describe(
      RpmFile rpm, String checksumType, String pkgid, String href, String base, long mtime) {
    Header h = rpm.header();
    Header sig = rpm.signature();
    boolean source = h.has(RpmTags.SOURCEPACKAGE) || rpm.isSource();
    List<PackageFile> files = files(h);
    return new PackageMetadata(
        text(h, RpmTags.NAME),
        source ? "src" : text(h, RpmTags.ARCH),
        Long.toString(h.number(RpmTags.EPOCH, 0)),
        text(h, RpmTags.VERSION),
        text(h, RpmTags.RELEASE),
        checksumType,
        pkgid,
        text(h, RpmTags.SUMMARY),
        text(h, RpmTags.DESCRIPTION),
        text(h, RpmTags.PACKAGER),
        text(h, RpmTags.URL),
        mtime,
        h.number(RpmTags.BUILDTIME, 0),
        rpm.fileSize(),
        h.number(RpmTags.LONGSIZE, h.number(RpmTags.SIZE, 0)),
        archiveSize(h, sig),
        href,
        base,
        text(h, RpmTags.LICENSE),
        text(h, RpmTags.VENDOR),
        text(h, RpmTags.GROUP),
        text(h, RpmTags.BUILDHOST),
        source ? null : text(h, RpmTags.SOURCERPM),
        rpm.headerStart(),
        rpm.headerEnd(),
        dependencies(h, files),
        files,
        changelogs(h));
  }

  private static String text(Header h, int tag) {
    return HeaderText.clean(h.string(tag));
  }

  /** rpm puts the payload size in the signature; rpm's own reader merges it into the header. */
  private static long archiveSize(Header h, Header sig) {
    long size = h.number(RpmTags.LONGARCHIVESIZE, h.number(RpmTags.ARCHIVESIZE, -1));
    if (size < 0) {
      size = sig.number(RpmTags.SIG_LONGARCHIVESIZE, sig.number(RpmTags.SIG_PAYLOADSIZE, 0));
    }
    return size;
  }

  private static List<PackageFile> files(Header h) {
    List<String> paths = new ArrayList<>();
    List<String> basenames = h.strings(RpmTags.BASENAMES);
    if (!basenames.isEmpty()) {
      List<String> dirnames = h.strings(RpmTags.DIRNAMES);
      long[] dirIndexes = h.ints(RpmTags.DIRINDEXES);
      for (int i = 0; i < basenames.size() && i < dirIndexes.length; i++) {
        int dir = (int) dirIndexes[i];
        if (dir < 0 || dir >= dirnames.size()) {
          throw new IllegalArgumentException("file " + i + " names directory " + dir);
        }
        paths.add(dirnames.get(dir) + basenames.get(i));
      }
    } else {
      paths.addAll(h.strings(RpmTags.OLDFILENAMES));
    }
    long[] modes = h.ints(RpmTags.FILEMODES);
    long[] flags = h.ints(RpmTags.FILEFLAGS);
    int n = Math.min(paths.size(), Math.min(modes.length, flags.length));
    List<PackageFile> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String type;
      if ((modes[i] & S_IFMT) == S_IFDIR) {
        type = PackageFile.DIR;
      } else if ((flags[i] & FILE_GHOST) != 0) {
        type = PackageFile.GHOST;
      } else {
        type = PackageFile.FILE;
      }
      files.add(new PackageFile(HeaderText.clean(paths.get(i)), type));
    }
    return files;
  }

  private record Tags(DependencyKind kind, int name, int flags, int version, boolean old) {}

  private static final List<Tags> DEPENDENCY_TAGS =
      List.of(
          new Tags(
              DependencyKind.PROVIDES,
              RpmTags.PROVIDENAME,
              RpmTags.PROVIDEFLAGS,
              RpmTags.PROVIDEVERSION,
              false),
          new Tags(
              DependencyKind.CONFLICTS,
              RpmTags.CONFLICTNAME,
              RpmTags.CONFLICTFLAGS,
              RpmTags.CONFLICTVERSION,
              false),
          new Tags(
              DependencyKind.OBSOLETES,
              RpmTags.OBSOLETENAME,
              RpmTags.OBSOLETEFLAGS,
              RpmTags.OBSOLETEVERSION,
              false),
          new Tags(
              DependencyKind.REQUIRES,
              RpmTags.REQUIRENAME,
              RpmTags.REQUIREFLAGS,
              RpmTags.REQUIREVERSION,
              false),
          new Tags(
              DependencyKind.SUGGESTS,
              RpmTags.SUGGESTNAME,
              RpmTags.SUGGESTFLAGS,
              RpmTags.SUGGESTVERSION,
              false),
          new Tags(
              DependencyKind.ENHANCES,
              RpmTags.ENHANCENAME,
              RpmTags.ENHANCEFLAGS,
              RpmTags.ENHANCEVERSION,
              false),
          new Tags(
              DependencyKind.RECOMMENDS,
              RpmTags.RECOMMENDNAME,
              RpmTags.RECOMMENDFLAGS,
              RpmTags.RECOMMENDVERSION,
              false),
          new Tags(
              DependencyKind.SUPPLEMENTS,
              RpmTags.SUPPLEMENTNAME,
              RpmTags.SUPPLEMENTFLAGS,
              RpmTags.SUPPLEMENTVERSION,
              false),
          new Tags(
              DependencyKind.SUGGESTS,
              RpmTags.OLDSUGGESTSNAME,
              RpmTags.OLDSUGGESTSFLAGS,
              RpmTags.OLDSUGGESTSVERSION,
              true),
          new Tags(
              DependencyKind.ENHANCES,
              RpmTags.OLDENHANCESNAME,
              RpmTags.OLDENHANCESFLAGS,
              RpmTags.OLDENHANCESVERSION,
              true));

  private record Required(String flags, String version, boolean pre) {}

  /**
   * createrepo_c's rules: requires drop rpmlib() entries, the package's own primary files, entries
   * that repeat a provide exactly and exact repeats; pre marks Requires(pre/post) and PreReq; only
   * the highest libc.so.6 requirement stays, at the end; legacy MISSINGOK requires and old-style
   * weak dependencies land in the weak lists.
   */
  private static Map<DependencyKind, List<Dependency>> dependencies(
      Header h, List<PackageFile> files) {
    Set<String> filePaths = new HashSet<>();
    for (PackageFile f : files) {
      filePaths.add(f.path());
    }
    Map<DependencyKind, List<Dependency>> out = new EnumMap<>(DependencyKind.class);
    Set<String> provided = new HashSet<>();
    Map<String, Required> seenRequires = new HashMap<>();
    for (Tags t : DEPENDENCY_TAGS) {
      List<String> names = h.strings(t.name);
      long[] flags = h.ints(t.flags);
      List<String> versions = h.strings(t.version);
      int n = Math.min(names.size(), Math.min(flags.length, versions.size()));
      Dependency libcHighest = null;
      for (int i = 0; i < n; i++) {
        String name = HeaderText.clean(names.get(i));
        long sense = flags[i];
        String flag = Dependency.flagsOf(sense);
        String evr = HeaderText.clean(versions.get(i));
        String nfv = name + (flag == null ? "" : flag) + evr;
        boolean pre = false;
        if (t.kind == DependencyKind.REQUIRES) {
          if (name.startsWith("rpmlib(")
              || (name.startsWith("/")
                  && filePaths.contains(name)
                  && PackageFile.isPrimaryPath(name))
              || provided.contains(nfv)) {
            continue;
          }
          pre = (sense & (SENSE_PREREQ | SENSE_SCRIPT_PRE | SENSE_SCRIPT_POST)) != 0;
          Required before = seenRequires.get(name);
          if (before != null
              && java.util.Objects.equals(before.flags, flag)
              && before.version.equals(evr)
              && before.pre == pre) {
            continue;
          }
        }
        String[] split = Dependency.splitEvr(evr);
        if (split == null) {
          continue; // a non-numeric epoch: createrepo_c drops the entry with a warning
        }
        DependencyKind kind = t.kind;
        if (t.old) {
          boolean strong = (sense & SENSE_STRONG) != 0;
          kind =
              kind == DependencyKind.SUGGESTS
                  ? (strong ? DependencyKind.RECOMMENDS : DependencyKind.SUGGESTS)
                  : (strong ? DependencyKind.SUPPLEMENTS : DependencyKind.ENHANCES);
        } else if (kind == DependencyKind.REQUIRES && (sense & SENSE_MISSINGOK) != 0) {
          kind = DependencyKind.RECOMMENDS;
          pre = false;
        }
        Dependency d =
            new Dependency(
                name, flag, split[0], split[1], split[2], kind == DependencyKind.REQUIRES && pre);
        if (kind == DependencyKind.PROVIDES) {
          provided.add(nfv);
        } else if (kind == DependencyKind.REQUIRES) {
          if (name.startsWith("libc.so.6")) {
            if (libcHighest == null || LibcVersions.firstIsLower(libcHighest.name(), name)) {
              libcHighest = d;
            }
            continue;
          }
          seenRequires.put(name, new Required(flag, evr, pre));
        }
        out.computeIfAbsent(kind, k -> new ArrayList<>()).add(d);
      }
      if (libcHighest != null) {
        out.computeIfAbsent(DependencyKind.REQUIRES, k -> new ArrayList<>()).add(libcHighest);
      }
    }
    return out;
  }

  /**
   * The newest {@code changelogLimit} entries, oldest first; entries sharing a timestamp are spread
   * one second apart as createrepo_c does, so their order survives a sort by date.
   */
  private List<ChangelogItem> changelogs(Header h) {
    long[] times = h.ints(RpmTags.CHANGELOGTIME);
    List<String> names = h.strings(RpmTags.CHANGELOGNAME);
    List<String> texts = h.strings(RpmTags.CHANGELOGTEXT);
    int n = Math.min(times.length, Math.min(names.size(), texts.size()));
    if (changelogLimit >= 0) {
      n = Math.min(n, changelogLimit);
    }
    // Header order is newest first; createrepo_c prepends each entry, so the output is oldest
    // first, and an entry with the same time as the one before it pushes that one (and any run
    // of equal times behind it) one second later.
    long[] dates = new long[n];
    long lastTime = 0;
    for (int i = 0; i < n; i++) {
      long time = times[i];
      dates[i] = time;
      if (lastTime == time) {
        int tmp = (int) time;
        for (int j = i - 1; j >= 0 && dates[j] == tmp; j--) {
          dates[j]++;
          tmp++;
        }
      } else {
        lastTime = time;
      }
    }
    List<ChangelogItem> out = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      out.add(
          new ChangelogItem(stripTrailingSpaces(text(names.get(i))), dates[i], text(texts.get(i))));
    }
    return out;
  }

  private static String text(String raw) {
    return HeaderText.clean(raw);
  }

  /** createrepo_c trims trailing spaces from the author, but never its first character. */
  private static String stripTrailingSpaces(String author) {
    int end = author.length();
    while (end > 1 && author.charAt(end - 1) == ' ') {
      end--;
    }
    return author.substring(0, end);
  }
}

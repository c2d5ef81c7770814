package io.watchsync.repo.collect;

import io.watchsync.repo.collect.CollectResult.Rejected;
import io.watchsync.repo.collect.CollectResult.Skipped;
import io.watchsync.repo.collect.CollectResult.Taken;
import io.watchsync.repo.collect.CollectResult.Why;
import io.watchsync.repo.files.Digests;
import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.rpm.Evr;
import io.watchsync.repo.rpm.Header;
import io.watchsync.repo.rpm.RpmException;
import io.watchsync.repo.rpm.RpmFile;
import io.watchsync.repo.rpm.RpmTags;
import io.watchsync.repo.sign.PackageRejectedException;
import io.watchsync.repo.sign.PackageVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collects the RPMs cached by yum and dnf (or any directories of RPMs) into one directory.
 *
 * <p>The run goes: find the {@code *.rpm} files of every source ({@link CacheScanner}), verify each
 * with {@link RpmFile#read(Path)} and, when asked, its signature with a {@link PackageVerifier} (a
 * bad one is rejected and the run goes on), drop files whose SHA-256 was seen before (the same
 * package cached by two repositories), with newest-only keep the newest EVR of each name and arch,
 * and put the rest into the target directory ({@link TargetDirectory}). Sources are searched in the
 * order given, the files of each in path order, so "first" is well defined for duplicates.
 */
public final class Collector {
  /** Where yum, dnf and dnf5 keep downloaded packages; used when no source is given. */
  public static final List<Path> DEFAULT_SOURCES =
      List.of(Path.of("/var/cache/yum"), Path.of("/var/cache/dnf"), Path.of("/var/cache/libdnf5"));

  /**
   * Hears about every package as soon as its fate is known. Every method does nothing by default.
   */
  public interface Listener {
    default void taken(Taken taken) {}

    default void skipped(Skipped skipped) {}

    default void rejected(Rejected rejected) {}
  }

  private final Path target;
  private final List<Path> sources;
  private final boolean newestOnly;
  private final Listener listener;
  private final PackageVerifier verifier;

  private Collector(
      Path target,
      List<Path> sources,
      boolean newestOnly,
      Listener listener,
      PackageVerifier verifier) {
    this.target = target;
    this.sources = sources;
    this.newestOnly = newestOnly;
    this.listener = listener;
    this.verifier = verifier;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures a {@link Collector}; only {@link #to(Path)} is required. */
  public static final class Builder {
    private Path target;
    private List<Path> sources = List.of();
    private List<Path> defaults = DEFAULT_SOURCES;
    private boolean newestOnly;
    private Listener listener = new Listener() {};
    private PackageVerifier verifier;

    private Builder() {}

    /**
     * Take only packages this verifier accepts (signed by a trusted key, unaltered); the others are
     * rejected naming the key id found. Null (the default): signatures are not checked.
     */
    public Builder verifier(PackageVerifier verifier) {
      this.verifier = verifier;
      return this;
    }

    /** The directory to collect into; created if missing. */
    public Builder to(Path target) {
      this.target = Objects.requireNonNull(target);
      return this;
    }

    /** The directories to search; each must exist. None: the default sources that exist. */
    public Builder from(List<Path> sources) {
      this.sources = List.copyOf(sources);
      return this;
    }

    /** What "no source given" means: {@link #DEFAULT_SOURCES} unless changed here. */
    public Builder defaults(List<Path> defaults) {
      this.defaults = List.copyOf(defaults);
      return this;
    }

    /** Keep only the newest version of each name and arch found. */
    public Builder newestOnly(boolean newestOnly) {
      this.newestOnly = newestOnly;
      return this;
    }

    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Checks the arguments.
     *
     * @throws CollectException a usage error: a given source is missing or not a directory, or the
     *     target exists and is not a directory
     */
    public Collector build() throws CollectException {
      Objects.requireNonNull(target, "target");
      List<Path> chosen = new ArrayList<>();
      if (sources.isEmpty()) {
        for (Path dir : defaults) {
          if (Files.isDirectory(dir)) {
            chosen.add(dir);
          }
        }
      } else {
        for (Path dir : sources) {
          if (!Files.exists(dir)) {
            throw CollectException.usage("--from " + dir + ": no such directory");
          }
          if (!Files.isDirectory(dir)) {
            throw CollectException.usage("--from " + dir + ": not a directory");
          }
          chosen.add(dir);
        }
      }
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target)) {
        throw CollectException.usage("--to " + target + ": exists and is not a directory");
      }
      return new Collector(target, List.copyOf(chosen), newestOnly, listener, verifier);
    }
  }

  /** A verified package waiting to be placed. */
  private record Candidate(Path path, String sha256, String name, String arch, Evr evr) {
    String nameArch() {
      return name + "." + arch;
    }

    String nevra() {
      return name + "-" + evr + "." + arch;
    }
  }

  /** The sources this collector searches: the given ones, or the defaults that exist. */
  public List<Path> sources() {
    return sources;
  }

  /**
   * Runs the collection. Problems with single files are reported as rejections and the run goes on.
   *
   * @throws CollectException when the target directory cannot be created or flushed
   */
  public CollectResult collect() throws CollectException {
    List<Taken> taken = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    Object targetKey = prepareTarget();

    List<Candidate> candidates = new ArrayList<>();
    Map<String, Path> firstBySha = new HashMap<>();
    for (Path file : find(targetKey, rejected)) {
      Candidate c = verify(file, rejected);
      if (c == null) {
        continue;
      }
      Path first = firstBySha.putIfAbsent(c.sha256(), file);
      if (first != null) {
        report(skipped, new Skipped(file, Why.DUPLICATE, first, null));
      } else {
        candidates.add(c);
      }
    }

    if (newestOnly) {
      candidates = keepNewest(candidates, skipped);
    }

    TargetDirectory dir = new TargetDirectory(target);
    for (Candidate c : candidates) {
      TargetDirectory.Outcome outcome = dir.place(c.path(), c.sha256());
      if (outcome instanceof TargetDirectory.Placed p) {
        Taken t = new Taken(c.path(), p.destination(), p.method());
        taken.add(t);
        listener.taken(t);
      } else if (outcome instanceof TargetDirectory.Present p) {
        report(skipped, new Skipped(c.path(), Why.ALREADY_PRESENT, p.existing(), null));
      } else if (outcome instanceof TargetDirectory.Conflict k) {
        report(
            rejected,
            new Rejected(
                c.path(),
                k.existing() + " already exists with different content; not overwritten"));
      } else if (outcome instanceof TargetDirectory.Failed f) {
        report(rejected, new Rejected(c.path(), f.reason()));
      }
    }
    try {
      dir.sync();
    } catch (IOException e) {
      throw CollectException.failure(target + ": cannot flush: " + IoErrors.reason(e));
    }
    return new CollectResult(target, sources, taken, skipped, rejected);
  }

  /** Creates the target if needed; returns its file key, so that scans can leave it out. */
  private Object prepareTarget() throws CollectException {
    try {
      Files.createDirectories(target);
      return Files.readAttributes(target, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw CollectException.failure(target + ": cannot create: " + IoErrors.reason(e));
    }
  }

  /** Every RPM file of every source, each once even when sources overlap. */
  private Set<Path> find(Object targetKey, List<Rejected> rejected) {
    Set<Path> files = new LinkedHashSet<>();
    Set<Path> seenReal = new HashSet<>();
    for (Path source : sources) {
      CacheScanner.Scan scan;
      try {
        scan = CacheScanner.scan(source, targetKey);
      } catch (IOException e) {
        report(rejected, new Rejected(source, "cannot read: " + IoErrors.reason(e)));
        continue;
      }
      scan.unreadable().forEach(r -> report(rejected, r));
      for (Path file : scan.rpms()) {
        if (seenReal.add(realPath(file))) {
          files.add(file);
        }
      }
    }
    return files;
  }

  private static Path realPath(Path file) {
    try {
      return file.toRealPath();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize();
    }
  }

  /**
   * Reads and checks one file (and its signature, with a verifier); null (and a rejection) when it
   * is not a sound RPM or not signed as required.
   */
  private Candidate verify(Path file, List<Rejected> rejected) {
    try {
      if (verifier != null) {
        verifier.verify(file);
      }
      // The file's checksum is taken on the same pass that verifies it: one read per file.
      MessageDigest sha256 = Digests.sha256();
      RpmFile rpm = RpmFile.read(file, sha256);
      Header h = rpm.header();
      String name = h.string(RpmTags.NAME);
      String arch = rpm.isSource() ? "src" : h.string(RpmTags.ARCH);
      if (name == null || arch == null) {
        report(rejected, new Rejected(file, "the header has no package name or arch"));
        return null;
      }
      return new Candidate(file, Digests.hex(sha256), name, arch, Evr.of(h));
    } catch (RpmException e) {
      report(rejected, new Rejected(file, reasonOf(e)));
    } catch (PackageRejectedException e) {
      report(rejected, new Rejected(file, e.reason()));
    }
    return null;
  }

  /** The reason part of an {@link RpmException}, whose message is "FILE: reason". */
  private static String reasonOf(RpmException e) {
    String prefix = e.file() + ": ";
    String message = e.getMessage();
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The newest EVR of each name.arch (all of them when several files tie), in input order. */
  private List<Candidate> keepNewest(List<Candidate> candidates, List<Skipped> skipped) {
    Map<String, Candidate> newest = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      newest.merge(c.nameArch(), c, (a, b) -> b.evr().compareTo(a.evr()) > 0 ? b : a);
    }
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : candidates) {
      Candidate best = newest.get(c.nameArch());
      if (c.evr().compareTo(best.evr()) < 0) {
        report(skipped, new Skipped(c.path(), Why.OLDER, best.path(), best.nevra()));
      } else {
        kept.add(c);
      }
    }
    return kept;
  }

  private void report(List<Skipped> skipped, Skipped s) {
    skipped.add(s);
    listener.skipped(s);
  }

  private void report(List<Rejected> rejected, Rejected r) {
    rejected.add(r);
    listener.rejected(r);
  }
}

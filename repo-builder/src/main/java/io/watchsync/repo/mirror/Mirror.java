package io.watchsync.repo.mirror;

import io.watchsync.repo.files.IoErrors;
import io.watchsync.repo.mirror.download.Downloader;
import io.watchsync.repo.mirror.download.MirrorState;
import io.watchsync.repo.mirror.download.Placement;
import io.watchsync.repo.mirror.model.Pkg;
import io.watchsync.repo.mirror.publish.Publisher;
import io.watchsync.repo.mirror.resolve.Arches;
import io.watchsync.repo.mirror.resolve.Resolver;
import io.watchsync.repo.mirror.upstream.UpstreamRepo;
import io.watchsync.repo.mirror.upstream.UpstreamSource;
import io.watchsync.repo.sign.PackageVerifier;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code repo-builder mirror}: upstream repositories → package closure → verified downloads →
 * indexed local repository. Each stage is its own piece: {@link UpstreamRepo} and {@link Catalog}
 * (metadata), {@link Closure} (what to take), {@link Placement} and {@link Downloader} (files),
 * {@link Publisher} (the new repodata, swapped in atomically).
 *
 * <p>Packages live in {@code DIR/Packages/}; the upstream metadata cache, the verification state
 * and the lock in {@code DIR/.mirror/}, which no index reads (hidden).
 */
public final class Mirror {
  /** Told what happens, for progress on a terminal. */
  public interface Listener extends Downloader.Listener {
    default void phase(String what) {}
  }

  private final Path target;
  private final List<UpstreamSource> sources;
  private final Arches arches;
  private final List<String> args;
  private final boolean all;
  private final int keep;
  private final Resolver.Options resolverOptions;
  private final Map<String, String> moduleStreams;
  private final int jobs;
  private final boolean delete;
  private final int rounds;
  private final long backoffMillis;
  private final int timeoutMillis;
  private final Listener listener;
  private final PackageVerifier signatures;

  private Mirror(Builder b) {
    this.target = b.target;
    this.sources = List.copyOf(b.sources);
    this.arches = Arches.of(b.arches.isEmpty() ? List.of(Arches.machine()) : b.arches);
    this.args = List.copyOf(b.args);
    this.all = b.all;
    this.keep = b.keep;
    this.resolverOptions = new Resolver.Options(b.weakDeps, b.allProviders);
    this.moduleStreams = Map.copyOf(b.moduleStreams);
    this.jobs = b.jobs;
    this.delete = b.delete;
    this.signatures = b.signatures;
    this.rounds = b.rounds;
    this.backoffMillis = b.backoffMillis;
    this.timeoutMillis = b.timeoutMillis;
    this.listener = b.listener;
  }

  public static Builder builder() {
    return new Builder();
  }

  public MirrorReport run() throws MirrorException, InterruptedException {
    if (sources.isEmpty()) {
      throw new MirrorException("no upstream repository: give --repo ID=URL or --repofile", true);
    }
    if (!all && args.isEmpty()) {
      throw new MirrorException("nothing to mirror: name packages, or give --all", true);
    }
    Path work = target.resolve(".mirror");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new MirrorException("--to " + IoErrors.describe(e), true);
    }
    try (FileChannel lockFile =
            FileChannel.open(
                work.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        throw new MirrorException(target + ": another repo-builder mirror is writing it");
      }
      return runLocked(work);
    } catch (IOException e) {
      throw new MirrorException(target + ": " + IoErrors.describe(e), e);
    }
  }

  private MirrorReport runLocked(Path work) throws MirrorException, InterruptedException {
    listener.phase("reading upstream metadata");
    List<UpstreamRepo> repos = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (UpstreamSource s : sources) {
      if (!s.id().matches("[A-Za-z0-9_:-][A-Za-z0-9_.:-]*")) {
        throw new MirrorException(
            "repository id " + s.id() + ": use letters, digits and - _ . : only", true);
      }
      if (!ids.add(s.id())) {
        throw new MirrorException("repository id " + s.id() + " given twice", true);
      }
      repos.add(
          UpstreamRepo.open(
              s, work.resolve("cache").resolve(s.id()), rounds, backoffMillis, timeoutMillis));
    }
    MirrorState state = MirrorState.load(work.resolve("state"));
    Placement placement = new Placement(target, state);
    Publisher publisher = new Publisher(target, work.resolve("published"), placement, state);
    Closure.Request request =
        new Closure.Request(
            args, all, keep, resolverOptions, new java.util.TreeMap<>(moduleStreams));
    ClosureCache closureCache = new ClosureCache(work.resolve("closure"));
    String closureKey;
    try {
      closureKey = ClosureCache.key(repos, arches.bases(), request);
      // With --gpgcheck every package is checked again: an earlier run may have taken it
      // without the check, or with other keys.
      MirrorReport unchanged =
          signatures == null ? unchanged(closureCache.load(closureKey), state, publisher) : null;
      if (unchanged != null) {
        return unchanged;
      }
    } catch (IOException e) {
      throw new MirrorException(work + ": " + IoErrors.describe(e), e);
    }
    Catalog catalog = Catalog.read(repos, arches);

    listener.phase("resolving");
    Closure closure = Closure.of(catalog, arches, request);

    listener.phase("downloading");
    Map<String, Downloader.Task> tasks = new LinkedHashMap<>();
    List<Path> superseded = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      for (Pkg p : closure.chosen()) {
        if (!names.add(p.fileName())) {
          continue; // the same file from two upstreams: the first one
        }
        Placement.Placed placed = placement.place(p);
        tasks.put(
            placed.key(),
            new Downloader.Task(p, repos.get(p.repo()).fetcher(), placed.target(), placed.key()));
        if (placed.superseded() != null) {
          superseded.add(placed.superseded());
        }
      }
    } catch (IOException e) {
      throw new MirrorException(IoErrors.describe(e), e);
    }
    Downloader.Outcome outcome;
    try {
      outcome =
          new Downloader(jobs, state, listener, signatures).download(List.copyOf(tasks.values()));
    } catch (IOException e) {
      throw new MirrorException(IoErrors.describe(e), e);
    } finally {
      saveQuietly(state);
    }

    listener.phase("indexing");
    Publisher.Result published =
        publisher.publish(tasks.values(), superseded, delete, outcome.fetched(), catalog.extra());
    try {
      state.save();
      closureCache.save(closureKey, tasks.values(), closure, published.fingerprint());
      for (UpstreamRepo repo : repos) {
        repo.pruneCache();
      }
    } catch (IOException e) {
      throw new MirrorException(work + ": " + IoErrors.describe(e), e);
    }
    return new MirrorReport(
        tasks.size(),
        outcome.fetched(),
        outcome.present(),
        published.deleted(),
        outcome.bytes(),
        closure.unmatched(),
        closure.problems(),
        outcome.failures(),
        closure.streams());
  }

  /**
   * The report of a run that has nothing to do, or null: the same upstream metadata and request as
   * the last run, every package in place and verified, nothing to delete, and the index in place
   * covering exactly that.
   */
  private MirrorReport unchanged(ClosureCache.Cached cached, MirrorState state, Publisher publisher)
      throws IOException {
    if (cached == null
        || !ClosureCache.allInPlace(target, cached, state)
        || !publisher.covers(cached.fingerprint())
        || (delete && hasOtherPackages(cached))) {
      return null;
    }
    int n = cached.entries().size();
    return new MirrorReport(
        n, 0, n, 0, 0, cached.unmatched(), cached.problems(), List.of(), cached.streams());
  }

  /** Whether Packages/ holds a package or partial file outside the cached closure. */
  private boolean hasOtherPackages(ClosureCache.Cached cached) throws IOException {
    Path packages = target.resolve("Packages");
    if (!Files.isDirectory(packages)) {
      return false;
    }
    Set<Path> wanted = new HashSet<>();
    for (ClosureCache.Entry e : cached.entries()) {
      wanted.add(target.resolve(e.key()));
    }
    try (var files = Files.walk(packages, 2)) {
      return files.anyMatch(
          f -> {
            String name = f.getFileName().toString();
            return (name.endsWith(".rpm") && !wanted.contains(f)) || name.endsWith(".rpm.part");
          });
    }
  }

  private static void saveQuietly(MirrorState state) {
    try {
      state.save();
    } catch (IOException ignored) {
      // the next run re-verifies what this one could not record
    }
  }

  /** Configures a run; {@link #target} and at least one source are required. */
  public static final class Builder {
    private Path target;
    private final List<UpstreamSource> sources = new ArrayList<>();
    private final List<String> arches = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private boolean all;
    private int keep = 1;
    private boolean weakDeps = true;
    private boolean allProviders;
    private final Map<String, String> moduleStreams = new LinkedHashMap<>();
    private int jobs = 8;
    private boolean delete;
    private int rounds = 4;
    private long backoffMillis = 500;
    private int timeoutMillis = 30_000;
    private Listener listener = new Listener() {};
    private PackageVerifier signatures;

    private Builder() {}

    public Builder target(Path dir) {
      this.target = dir;
      return this;
    }

    public Builder sources(List<UpstreamSource> s) {
      sources.addAll(s);
      return this;
    }

    /** Base architectures; none means the machine's. */
    public Builder arches(List<String> a) {
      arches.addAll(a);
      return this;
    }

    public Builder packages(List<String> a) {
      args.addAll(a);
      return this;
    }

    public Builder all(boolean value) {
      all = value;
      return this;
    }

    public Builder keep(int n) {
      keep = n;
      return this;
    }

    public Builder weakDeps(boolean value) {
      weakDeps = value;
      return this;
    }

    public Builder allProviders(boolean value) {
      allProviders = value;
      return this;
    }

    public Builder moduleStream(String name, String stream) {
      moduleStreams.put(name, stream);
      return this;
    }

    public Builder jobs(int n) {
      jobs = n;
      return this;
    }

    public Builder delete(boolean value) {
      delete = value;
      return this;
    }

    /** How often every baseurl is tried for one file, and the first pause between rounds. */
    public Builder retries(int roundsPerFile, long firstBackoffMillis) {
      rounds = roundsPerFile;
      backoffMillis = firstBackoffMillis;
      return this;
    }

    public Builder timeoutMillis(int millis) {
      timeoutMillis = millis;
      return this;
    }

    public Builder listener(Listener l) {
      listener = l;
      return this;
    }

    /** Takes only packages signed by one of its keys ({@code --gpgcheck}); null: any. */
    public Builder signatures(PackageVerifier verifier) {
      signatures = verifier;
      return this;
    }

    public Mirror build() {
      if (target == null) {
        throw new IllegalStateException("target is required");
      }
      return new Mirror(this);
    }
  }
}
